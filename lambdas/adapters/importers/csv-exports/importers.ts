import type { ImportedItem } from '../../../core/import/imported-item';
import { csvRecords } from '../export-text';
import { type ImporterModule, MAX_TEXT_EXPORT_BYTES } from '../importer-module';

/** How one vendor's CSV export names its columns (lower case), and what its rows say beyond them. */
interface CsvFormat {
  readonly id: string;
  readonly description: string;
  readonly name: string;
  readonly columns: {
    readonly title?: string;
    readonly url: string;
    readonly username: string;
    readonly password: string;
    readonly totp?: string;
    readonly folder?: string;
  };
  /** Why a row is no login, if it says so (a LastPass secure note, an archived 1Password item). */
  readonly notALogin?: (row: Readonly<Record<string, string>>) => string | undefined;
  /** When the password was set, where the row shows it. */
  readonly passwordChangedAt?: (row: Readonly<Record<string, string>>) => Date | undefined;
  /** The folder as an owner's name: its last part. */
  readonly folderSeparator?: RegExp;
}

function csvImporter(format: CsvFormat): ImporterModule {
  const { columns } = format;
  return {
    id: format.id,
    description: format.description,
    maxBytes: MAX_TEXT_EXPORT_BYTES,
    parse(bytes) {
      const required = [columns.url, columns.username, columns.password];
      return csvRecords(bytes, format.name, required).map((row, index): ImportedItem => {
        const position = `row ${index + 2}`;
        const at = (column: string | undefined) => (column === undefined ? '' : (row[column] ?? '').trim());
        const title = at(columns.title);
        const folderPath = at(columns.folder);
        const folder = format.folderSeparator ? folderPath.split(format.folderSeparator).pop()?.trim() : folderPath;
        const base = {
          position,
          urls: at(columns.url) === '' ? [] : [at(columns.url)],
          ...(title && { title }),
          ...(folder && { folder }),
        };
        const notALogin = format.notALogin?.(row);
        if (notALogin !== undefined) return { ...base, notALogin };
        const username = at(columns.username);
        // A password is taken exactly as exported: its spaces may be part of it.
        const password = row[columns.password] ?? '';
        const totp = at(columns.totp);
        const changedAt = format.passwordChangedAt?.(row);
        return {
          ...base,
          ...(username && { username }),
          ...(password !== '' && { password }),
          ...(totp && { totp }),
          ...(changedAt !== undefined && { passwordChangedAt: changedAt }),
        };
      });
    },
  };
}

/** 1Password 8's CSV export: Title, Url, Username, Password, OTPAuth, Favorite, Archived, Tags, Notes. No dates. */
export const onePasswordCsv = csvImporter({
  id: '1password-csv',
  description: "1Password's CSV export",
  name: '1Password CSV',
  columns: { title: 'title', url: 'url', username: 'username', password: 'password', totp: 'otpauth' },
  notALogin: (row) => (row.archived?.trim().toLowerCase() === 'true' ? 'archived' : undefined),
});

/**
 * KeePassXC's CSV export: Group, Title, Username, Password, URL, Notes, TOTP, Icon, Last Modified, Created. "Last
 * Modified" is any edit's, so it dates the password only when it equals "Created" (the entry never changed since).
 */
export const keepassxcCsv = csvImporter({
  id: 'keepassxc-csv',
  description: "KeePassXC's CSV export",
  name: 'KeePassXC CSV',
  columns: { title: 'title', url: 'url', username: 'username', password: 'password', totp: 'totp', folder: 'group' },
  folderSeparator: /\//,
  passwordChangedAt: (row) => {
    const created = row.created?.trim();
    if (!created || created !== row['last modified']?.trim()) return undefined;
    const date = new Date(created);
    return Number.isNaN(date.getTime()) ? undefined : date;
  },
});

/** LastPass's CSV export: url, username, password, totp, extra, name, grouping, fav; `http://sn` marks a secure note. */
export const lastpassCsv = csvImporter({
  id: 'lastpass-csv',
  description: "LastPass's CSV export",
  name: 'LastPass CSV',
  columns: { title: 'name', url: 'url', username: 'username', password: 'password', totp: 'totp', folder: 'grouping' },
  folderSeparator: /\\/,
  notALogin: (row) => (row.url?.trim() === 'http://sn' ? 'a secure note' : undefined),
});

/** Chrome's (and Edge's) password CSV: name, url, username, password, note. No dates, no folders. */
export const chromeCsv = csvImporter({
  id: 'chrome-csv',
  description: "Chrome's or Edge's password CSV",
  name: 'Chrome CSV',
  columns: { title: 'name', url: 'url', username: 'username', password: 'password' },
});
