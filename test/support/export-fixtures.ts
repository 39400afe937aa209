import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';

export const EXPORTS_DIR = join(__dirname, '../fixtures/exports');

/** Each format's fixture file (the 1PUX one is zipped from its export.data, as 1Password writes it). */
export const EXPORT_FIXTURES: Readonly<Record<string, string>> = {
  'bitwarden-json': 'bitwarden.json',
  '1password-1pux': 'northshire.1pux',
  '1password-csv': '1password.csv',
  'keepass-xml': 'keepass.xml',
  'keepassxc-csv': 'keepassxc.csv',
  'lastpass-csv': 'lastpass.csv',
  'chrome-csv': 'chrome.csv',
  inventory: 'inventory.json',
};

/** A 1PUX archive: `export.attributes` and `export.data`, deflated. */
export function onePuxArchive(data: Uint8Array | string): Buffer {
  return Buffer.from(
    zipSync({
      'export.attributes': strToU8(JSON.stringify({ version: 3, description: '1Password Unencrypted Export' })),
      'export.data': typeof data === 'string' ? strToU8(data) : data,
    }),
  );
}

/** A fixture's bytes, by format. */
export function exportFixture(format: string): Buffer {
  if (format === '1password-1pux') return onePuxArchive(readFileSync(join(EXPORTS_DIR, '1password-export.data.json')));
  return readFileSync(join(EXPORTS_DIR, EXPORT_FIXTURES[format] as string));
}

/** The three logins every fixture holds, as an import should read them. */
export const FIXTURE_LOGINS = {
  x: {
    username: 'NorthshirePolice',
    password: 'Northshire2019!',
    totpSeed: 'JBSWY3DPEHPK3PXP',
    folder: 'press-office',
    changedAt: '2024-03-14T09:30:00.000Z',
  },
  mailbox: {
    username: 'press@northshire-police.example',
    password: 'Kv9#mTq2!wLp8zR4',
    folder: 'press-office',
    changedAt: '2025-01-02T08:00:00.000Z',
  },
  bluesky: {
    username: 'northshire-recruit',
    password: ' Recruit "2023", with comma ',
    folder: 'recruitment',
    changedAt: '2023-05-06T10:00:00.000Z',
  },
} as const;

/** Every secret value in the fixtures: none may appear in any output. */
export const FIXTURE_SECRETS = [
  'Northshire2019!',
  'Northshire2018!',
  'Kv9#mTq2!wLp8zR4',
  'OldMailbox#1',
  'OldMailbox#2',
  'Recruit "2023"',
  'GzI7ZJOTupvPl7Iak_L0IVtA',
  'JBSWY3DPEHPK3PXP',
  'Deleted#2017',
  'Archived#2017',
  'RC-7731-9921',
  'do not share',
  'duty officer',
];
