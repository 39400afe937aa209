import { type ImportedItem, ImportFormatError } from '../../../core/import/imported-item';
import { boundedList, exportJson, isoTime, list, newest, optionalString, record } from '../export-text';
import { type ImporterModule, MAX_TEXT_EXPORT_BYTES } from '../importer-module';

/** Bitwarden's item types (`type`): only 1 is a login. */
const NOT_LOGINS: Readonly<Record<number, string>> = {
  2: 'a secure note',
  3: 'a card',
  4: 'an identity',
  5: 'an SSH key',
};

/**
 * Bitwarden's unencrypted JSON export (Tools > Export vault > .json): `items[]` with `login { uris, username, password,
 * totp, passwordRevisionDate }`, `passwordHistory[] { lastUsedDate }`, `folderId` (or, in an organisation's export,
 * `collectionIds`). The password's date is its revision date; else the newest history entry's; else, with no history
 * at all, the item's creation (Bitwarden records both whenever the password changes).
 */
export const bitwardenJson: ImporterModule = {
  id: 'bitwarden-json',
  description: "Bitwarden's unencrypted JSON export",
  maxBytes: MAX_TEXT_EXPORT_BYTES,
  parse(bytes) {
    const document = record(exportJson(bytes, 'Bitwarden JSON'), 'the export');
    if (document.encrypted === true) {
      throw new ImportFormatError('the export is encrypted: export the vault again as unencrypted .json');
    }
    if (!Array.isArray(document.items))
      throw new ImportFormatError('the export has no "items" list, so it is not a Bitwarden JSON export');
    const folders = namesById(document.folders, 'folders');
    const collections = namesById(document.collections, 'collections');
    return boundedList(document.items, 'items').map((raw, index): ImportedItem => {
      const position = `item ${index + 1}`;
      const item = record(raw, position);
      const base = { position, urls: [] as string[], ...titled(optionalString(item.name, `${position} name`)) };
      if (item.deletedDate !== undefined && item.deletedDate !== null) return { ...base, notALogin: 'in the trash' };
      if (item.type !== 1) {
        return {
          ...base,
          notALogin: typeof item.type === 'number' ? (NOT_LOGINS[item.type] ?? `of type ${item.type}`) : 'of no type',
        };
      }
      const login = record(item.login ?? {}, `${position} login`);
      const uris = list(login.uris, `${position} login.uris`).flatMap((uri, at) => {
        const value = optionalString(
          record(uri, `${position} login.uris[${at}]`).uri,
          `${position} login.uris[${at}].uri`,
        );
        return value === undefined ? [] : [value];
      });
      const history = list(item.passwordHistory, `${position} passwordHistory`).map((entry, at) =>
        isoTime(record(entry, `${position} passwordHistory[${at}]`).lastUsedDate),
      );
      const changedAt =
        isoTime(login.passwordRevisionDate) ??
        newest(history) ??
        (history.length === 0 ? isoTime(item.creationDate) : undefined);
      const folderId = optionalString(item.folderId, `${position} folderId`);
      const collectionId = list(item.collectionIds, `${position} collectionIds`).find((id) => typeof id === 'string') as
        | string
        | undefined;
      const folder =
        (folderId && folders.get(folderId)) ?? (collectionId && collections.get(collectionId)) ?? undefined;
      const username = optionalString(login.username, `${position} login.username`);
      const password = optionalString(login.password, `${position} login.password`);
      const totp = optionalString(login.totp, `${position} login.totp`);
      return {
        ...base,
        urls: uris,
        ...(folder && { folder }),
        ...(username !== undefined && { username }),
        ...(password !== undefined && { password }),
        ...(totp !== undefined && { totp }),
        ...(changedAt !== undefined && { passwordChangedAt: changedAt }),
      };
    }) as ImportedItem[];
  },
};

function titled(title: string | undefined) {
  return title === undefined ? {} : { title };
}

function namesById(value: unknown, what: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const [index, entry] of list(value, what).entries()) {
    const { id, name } = record(entry, `${what}[${index}]`);
    if (typeof id === 'string' && typeof name === 'string') names.set(id, name);
  }
  return names;
}
