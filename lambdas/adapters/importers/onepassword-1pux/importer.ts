import { unzipSync } from 'fflate';
import { type ImportedItem, ImportFormatError } from '../../../core/import/imported-item';
import { boundedList, exportJson, list, newest, optionalString, record } from '../export-text';
import type { ImporterModule } from '../importer-module';

/** The archive's largest size, and its `export.data`'s once inflated (a zip bomb stops here). */
const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;
const MAX_DATA_BYTES = 64 * 1024 * 1024;
/** 1Password's Login category, and the others' names for the skip rows. */
const LOGIN_CATEGORY = '001';
const CATEGORIES: Readonly<Record<string, string>> = {
  '002': 'a credit card',
  '003': 'a secure note',
  '004': 'an identity',
  '005': 'a password without a login',
  '006': 'a document',
  '110': 'a server',
  '111': 'an SSH key',
};

const epochSeconds = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? new Date(value * 1000) : undefined;

/**
 * 1Password's 1PUX export (a zip; its `export.data` holds `accounts[].vaults[].items[].item`): a Login item's
 * `details.loginFields` by `designation`, a TOTP in a section field's `value.totp`, `overview.urls`, and
 * `details.passwordHistory[] { time }`. The password's date is the newest history entry's; with no history, the item's
 * creation. The vault is the folder.
 */
export const onePassword1pux: ImporterModule = {
  id: '1password-1pux',
  description: "1Password's .1pux export (the whole zip)",
  maxBytes: MAX_ARCHIVE_BYTES,
  parse(bytes) {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        filter: (file) => file.name === 'export.data' && file.originalSize <= MAX_DATA_BYTES,
      });
    } catch {
      throw new ImportFormatError('the file is not a zip archive, so not a 1PUX export');
    }
    const data = files['export.data'];
    if (data === undefined || data.byteLength > MAX_DATA_BYTES) {
      throw new ImportFormatError(
        'the archive has no export.data (or one larger than 64 MiB), so it is not a 1PUX export',
      );
    }
    const document = record(exportJson(Buffer.from(data), '1PUX'), 'export.data');
    const items: ImportedItem[] = [];
    for (const [a, account] of list(document.accounts, 'accounts').entries()) {
      for (const [v, rawVault] of list(record(account, `accounts[${a}]`).vaults, `accounts[${a}].vaults`).entries()) {
        const vault = record(rawVault, `vault ${v + 1}`);
        const vaultName = optionalString(record(vault.attrs ?? {}, `vault ${v + 1} attrs`).name, `vault ${v + 1} name`);
        for (const rawItem of list(vault.items, `vault ${v + 1} items`)) {
          items.push(itemOf(record(rawItem, `item ${items.length + 1}`).item, `item ${items.length + 1}`, vaultName));
          boundedList(items, 'items');
        }
      }
    }
    return items;
  },
};

function itemOf(raw: unknown, position: string, vault: string | undefined): ImportedItem {
  const item = record(raw ?? {}, position);
  const overview = record(item.overview ?? {}, `${position} overview`);
  const title = optionalString(overview.title, `${position} title`);
  const base = {
    position,
    urls: [] as string[],
    ...(title !== undefined && { title }),
    ...(vault && { folder: vault }),
  };
  if (item.trashed === true || item.state === 'deleted') return { ...base, notALogin: 'in the trash' };
  if (item.state === 'archived') return { ...base, notALogin: 'archived' };
  if (item.categoryUuid !== LOGIN_CATEGORY) {
    const category = typeof item.categoryUuid === 'string' ? item.categoryUuid : '';
    return {
      ...base,
      notALogin: CATEGORIES[category] ?? `of category ${/^\d{3}$/.test(category) ? category : 'unknown'}`,
    };
  }
  const details = record(item.details ?? {}, `${position} details`);
  let username: string | undefined;
  let password: string | undefined;
  for (const [index, rawField] of list(details.loginFields, `${position} loginFields`).entries()) {
    const field = record(rawField, `${position} loginFields[${index}]`);
    const value = optionalString(field.value, `${position} loginFields[${index}].value`);
    if (field.designation === 'username') username = value;
    if (field.designation === 'password') password = value;
  }
  let totp: string | undefined;
  for (const [s, rawSection] of list(details.sections, `${position} sections`).entries()) {
    for (const [f, rawField] of list(
      record(rawSection, `${position} sections[${s}]`).fields,
      `${position} sections[${s}].fields`,
    ).entries()) {
      const value = record(
        record(rawField, `${position} sections[${s}].fields[${f}]`).value ?? {},
        `${position} field value`,
      );
      totp ??= optionalString(value.totp, `${position} sections[${s}].fields[${f}].value.totp`);
    }
  }
  const urls = new Set([
    ...list(overview.urls, `${position} urls`).flatMap((entry, at) => {
      const url = optionalString(record(entry, `${position} urls[${at}]`).url, `${position} urls[${at}].url`);
      return url === undefined ? [] : [url];
    }),
    ...(typeof overview.url === 'string' && overview.url !== '' ? [overview.url] : []),
  ]);
  const history = list(details.passwordHistory, `${position} passwordHistory`).map((entry, at) =>
    epochSeconds(record(entry, `${position} passwordHistory[${at}]`).time),
  );
  const changedAt = history.length > 0 ? newest(history) : epochSeconds(item.createdAt);
  return {
    ...base,
    urls: [...urls],
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    ...(totp !== undefined && { totp }),
    ...(changedAt !== undefined && { passwordChangedAt: changedAt }),
  };
}
