import { IMPORTERS, importerOf } from '../../../lambdas/adapters/importers/registry';
import { type ImportedItem, ImportFormatError } from '../../../lambdas/core/import/imported-item';
import {
  EXPORT_FIXTURES,
  exportFixture,
  FIXTURE_LOGINS,
  FIXTURE_SECRETS,
  onePuxArchive,
} from '../../support/export-fixtures';

/** Which fixtures date each password, and how (the format's own history, or nothing). */
const DATED: Readonly<Record<string, readonly (keyof typeof FIXTURE_LOGINS)[]>> = {
  'bitwarden-json': ['x', 'mailbox', 'bluesky'],
  '1password-1pux': ['x', 'mailbox', 'bluesky'],
  'keepass-xml': ['x', 'mailbox', 'bluesky'],
  inventory: ['x', 'mailbox', 'bluesky'],
  // "Last Modified" dates any edit: only the row never modified since its creation is dated.
  'keepassxc-csv': ['bluesky'],
  '1password-csv': [],
  'lastpass-csv': [],
  'chrome-csv': [],
};
const FOLDERS = new Set(['bitwarden-json', '1password-1pux', 'keepass-xml', 'keepassxc-csv', 'lastpass-csv']);

function loginNamed(items: readonly ImportedItem[], username: string): ImportedItem {
  const found = items.filter((item) => item.username === username && item.password !== undefined);
  expect(found).toHaveLength(1);
  return found[0] as ImportedItem;
}

describe('importers: each format read from a fixture of the same estate', () => {
  it('every registered format has a fixture, and every fixture a format', () => {
    expect(IMPORTERS.map((importer) => importer.id).sort()).toEqual(Object.keys(EXPORT_FIXTURES).sort());
  });

  describe.each(IMPORTERS.map((importer) => [importer.id, importer] as const))('%s', (format, importer) => {
    const items = importer.parse(exportFixture(format));

    it.each(Object.entries(FIXTURE_LOGINS))(
      'reads the %s login exactly (password as exported, spaces and quotes kept)',
      (key, login) => {
        const item = loginNamed(items, login.username);
        expect(item.password).toBe(login.password);
        if (FOLDERS.has(format)) expect(item.folder).toBe(login.folder);
        const dated = DATED[format]?.includes(key as keyof typeof FIXTURE_LOGINS);
        expect(item.passwordChangedAt?.toISOString()).toBe(dated ? login.changedAt : undefined);
      },
    );

    it('keeps the TOTP seed where the format holds one', () => {
      const x = loginNamed(items, FIXTURE_LOGINS.x.username);
      if (format === 'chrome-csv') expect(x.totp).toBeUndefined();
      else expect(x.totp).toContain(FIXTURE_LOGINS.x.totpSeed);
    });

    it('names every item by its position, never by a value', () => {
      for (const item of items) expect(item.position).toMatch(/^(item|entry|row) \d+$/);
    });
  });

  it('tells notes, trashed, archived and recycled items apart from logins, each with why', () => {
    const why = (format: string) =>
      (importerOf(format)?.parse(exportFixture(format)) ?? []).flatMap((item) =>
        item.notALogin ? [item.notALogin] : [],
      );
    expect(why('bitwarden-json')).toEqual(['a secure note', 'in the trash']);
    expect(why('1password-1pux')).toEqual(['a secure note', 'archived']);
    expect(why('1password-csv')).toEqual(['archived']);
    expect(why('keepass-xml')).toEqual(['in the recycle bin']);
    expect(why('lastpass-csv')).toEqual(['a secure note']);
    expect(why('inventory')).toEqual(['an entry the scan refuses: platform: must be a domain such as x.com']);
  });

  it('reads every vault of a 1PUX with several accounts, naming the vault as the folder', () => {
    const items = importerOf('1password-1pux')?.parse(exportFixture('1password-1pux')) ?? [];
    expect(new Set(items.map((item) => item.folder))).toEqual(new Set(['press-office', 'recruitment']));
  });
});

describe('importers: a file that is not the format is refused in one line that quotes nothing', () => {
  const secret = 'Zq-SECRET-marker-771';
  const cases: [string, RegExp, Buffer][] = [
    ['bitwarden-json', /not JSON/, Buffer.from(`{"items": [ {"login": {"password": "${secret}"`)],
    [
      'bitwarden-json',
      /encrypted: export the vault again/,
      Buffer.from(JSON.stringify({ encrypted: true, data: secret })),
    ],
    ['bitwarden-json', /no "items" list/, Buffer.from(JSON.stringify({ folders: [] }))],
    [
      'bitwarden-json',
      /item 1 login\.password is not text/,
      Buffer.from(JSON.stringify({ items: [{ type: 1, login: { password: 7, username: secret } }] })),
    ],
    ['1password-1pux', /not a zip archive/, Buffer.from(secret)],
    ['1password-1pux', /not JSON/, onePuxArchive(`{"accounts": "${secret}"`)],
    ['1password-1pux', /accounts is not a list/, onePuxArchive(JSON.stringify({ accounts: secret }))],
    ['1password-csv', /no "url", "username", "password" column/, Buffer.from(`name,secret\n${secret},x\n`)],
    ['lastpass-csv', /not a well-formed CSV/, Buffer.from(`url,username,password\nhttps://x.com,a,"${secret}\n`)],
    [
      'chrome-csv',
      /not a well-formed CSV \(line 2\)/,
      Buffer.from(`name,url,username,password\nx,https://x.com,a,${secret},extra\n`),
    ],
    [
      'keepass-xml',
      /not well-formed XML/,
      Buffer.from(`<KeePassFile><Root><Group><Entry>${secret}</Group></KeePassFile>`),
    ],
    [
      'keepass-xml',
      /declares a DOCTYPE or entities/,
      Buffer.from(`<?xml version="1.0"?><!DOCTYPE k [<!ENTITY a "${secret}">]><KeePassFile><Root/></KeePassFile>`),
    ],
    ['keepass-xml', /no KeePassFile\/Root element/, Buffer.from('<Other/>')],
    ['inventory', /no list of accounts/, Buffer.from(JSON.stringify({ logins: [{ password: secret }] }))],
    ['chrome-csv', /not UTF-8 text/, Buffer.from([0x6e, 0x61, 0xff, 0xfe, 0x0a])],
  ];

  it.each(cases)('%s: %s', (format, message, bytes) => {
    const importer = importerOf(format);
    let thrown: unknown;
    try {
      importer?.parse(bytes);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ImportFormatError);
    const text = (thrown as Error).message;
    expect(text).toMatch(message);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('\n');
  });

  it('a zip whose export.data inflates past its bound is refused before it is inflated (a zip bomb)', () => {
    const bomb = onePuxArchive(new Uint8Array(65 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(() => importerOf('1password-1pux')?.parse(bomb)).toThrow(/no export\.data \(or one larger than 64 MiB\)/);
  });

  it('an export of more items than a scan is made for is refused whole', () => {
    const rows = [
      'name,url,username,password',
      ...Array.from({ length: 100_001 }, (_, n) => `n,https://x.com,u${n},p`),
    ];
    expect(() => importerOf('chrome-csv')?.parse(Buffer.from(rows.join('\n')))).toThrow(
      /100001 rows, more than the 100000/,
    );
  });

  it('no fixture secret appears in any skip reason', () => {
    for (const importer of IMPORTERS) {
      const reasons = importer
        .parse(exportFixture(importer.id))
        .map((item) => `${item.position} ${item.notALogin ?? ''}`);
      for (const secretValue of FIXTURE_SECRETS) expect(reasons.join('\n')).not.toContain(secretValue);
    }
  });
});
