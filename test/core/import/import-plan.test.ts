import {
  type DesiredLogin,
  desiredLogins,
  planImport,
  planSummary,
  type StoredLogin,
} from '../../../lambdas/core/import/import-plan';
import type { ImportedItem } from '../../../lambdas/core/import/imported-item';
import { PlatformCatalog } from '../../../lambdas/core/platform-catalog';

const catalog = PlatformCatalog.bundled();
const login = (position: string, fields: Partial<ImportedItem> = {}): ImportedItem => ({
  position,
  urls: ['https://x.com/login'],
  username: 'NorthshirePolice',
  password: 'Correct-Horse-1',
  folder: 'press-office',
  ...fields,
});
const CHANGED = new Date('2024-03-14T09:30:00Z');

function desired(items: ImportedItem[], settings: Partial<Parameters<typeof desiredLogins>[1]> = {}) {
  return desiredLogins(items, { catalog, ownerFromFolder: true, ...settings });
}

describe('desiredLogins: what each item of an export becomes', () => {
  it('names a login by owner, platform and username: stable, and two logins of one platform and owner apart', () => {
    const { logins, skipped } = desired([
      login('item 1'),
      login('item 2', { username: 'NorthshireRecruit' }),
      login('item 3', { urls: ['twitter.com'], username: 'northshirepolice' }),
    ]);
    expect(logins.map((each) => each.name)).toEqual([
      'press-office/x.com/northshirepolice',
      'press-office/x.com/northshirerecruit',
    ]);
    expect(skipped).toEqual([
      {
        position: 'item 3',
        action: 'skip',
        reason: 'a duplicate of item 1: the same platform, owner and username',
      },
    ]);
  });

  it('takes the platform from the first address the catalog knows (an alias is its platform)', () => {
    const { logins } = desired([login('item 1', { urls: ['android://abc', 'https://mobile.twitter.com/i/flow'] })]);
    expect(logins[0]?.labels.platform).toBe('x.com');
  });

  it('skips a platform nobody knows unless --include-unknown, which imports it under its host', () => {
    const item = login('item 1', { urls: ['https://www.newswire-portal.example/login'] });
    expect(desired([item]).skipped[0]?.reason).toMatch(
      /^newswire-portal\.example is a platform neither the catalog nor the policy's platforms know/,
    );
    expect(desired([item], { includeUnknown: true }).logins[0]?.labels.platform).toBe('newswire-portal.example');
  });

  it('skips what cannot become a login, each with why', () => {
    const { skipped } = desired([
      login('item 1', { notALogin: 'a secure note' }),
      login('item 2', { password: '' }),
      login('item 3', { urls: [] }),
      login('item 4', { folder: 'Press & Media' }),
      login('item 5', { password: 'x'.repeat(1025) }),
    ]);
    expect(skipped.map((row) => row.reason)).toEqual([
      'not a login (a secure note)',
      'no password',
      'no web address, so no platform to check it against',
      expect.stringMatching(/^its owner \(the folder name\) has characters a tag cannot hold/),
      'its password is longer than the 1024 characters a login is checked for',
    ]);
  });

  it('gives every login the owner, the prefix and the tags asked for; a username that is an address is its email', () => {
    const { logins } = desired([login('item 1', { username: 'press@northshire.example', urls: ['outlook.com'] })], {
      owner: 'press-office',
      ownerFromFolder: false,
      namePrefix: 'shared/',
      tags: { 'cost-centre': 'CC-12' },
    });
    expect(logins[0]).toMatchObject({
      name: 'shared/press-office/outlook.com/press@northshire.example',
      labels: { platform: 'outlook.com', owner: 'press-office', 'tag:cost-centre': 'CC-12' },
      value: { username: 'press@northshire.example', email: 'press@northshire.example' },
    });
  });
});

describe('planImport: what importing does to what the store holds', () => {
  const base = (changedAt?: Date): DesiredLogin => {
    const [only] = desired([login('item 1', changedAt ? { passwordChangedAt: changedAt } : {})]).logins;
    return only as DesiredLogin;
  };
  const stored = (fields: Partial<StoredLogin> = {}): StoredLogin => ({
    managed: true,
    labels: { platform: 'x.com', owner: 'press-office' },
    value: { username: 'NorthshirePolice', password: 'Correct-Horse-1' },
    passwordChangedAt: CHANGED,
    ...fields,
  });
  const plan = (entry: DesiredLogin, held?: StoredLogin) =>
    planImport([entry], new Map(held ? [[entry.name, held]] : []));

  it('creates what is not there, with the export date or none', () => {
    const created = plan(base(CHANGED));
    expect(created.rows).toEqual([
      { position: 'item 1', name: 'press-office/x.com/northshirepolice', action: 'create' },
    ]);
    expect(created.writes).toEqual([expect.objectContaining({ kind: 'create' })]);
  });

  it('leaves alone what is already there as the export says: no write', () => {
    const same = plan(base(CHANGED), stored());
    expect(same.rows.map((row) => row.action)).toEqual(['unchanged']);
    expect(same.writes).toEqual([]);
  });

  it('a changed password is a new version dated by the export, or unknown when it shows no date', () => {
    const changed = stored({ value: { username: 'NorthshirePolice', password: 'Old-Password-0' } });
    const dated = plan(base(CHANGED), changed);
    expect(dated.rows[0]).toMatchObject({ action: 'update', changes: ['password'] });
    expect(dated.writes[0]).toMatchObject({
      kind: 'update',
      value: { password: 'Correct-Horse-1' },
      passwordChangedAt: CHANGED,
    });
    const undated = plan(base(), changed);
    expect(undated.rows[0]).toMatchObject({ changes: ['password', 'passwordChangedAt'] });
    expect(undated.writes[0]).toMatchObject({ passwordChangedAt: 'unknown' });
  });

  it("a new version for another field keeps the password's date, not the version's", () => {
    const renamed = stored({ value: { username: 'OldHandle', password: 'Correct-Horse-1', recoveryEmail: 'kept' } });
    const result = plan(base(), renamed);
    expect(result.rows[0]).toMatchObject({ action: 'update', changes: ['username'] });
    expect(result.writes[0]).toMatchObject({
      value: { username: 'NorthshirePolice', password: 'Correct-Horse-1', recoveryEmail: 'kept' },
      passwordChangedAt: CHANGED,
    });
  });

  it('a new owner or date is a change of labels only: no new version', () => {
    const result = plan(
      base(new Date('2025-01-01T00:00:00Z')),
      stored({ labels: { platform: 'x.com', owner: 'comms' } }),
    );
    expect(result.rows[0]).toMatchObject({ action: 'update', changes: ['owner', 'passwordChangedAt'] });
    expect(result.writes[0]).toEqual(
      expect.objectContaining({
        labels: { owner: 'press-office' },
        passwordChangedAt: new Date('2025-01-01T00:00:00Z'),
      }),
    );
    expect(result.writes[0]).not.toHaveProperty('value');
  });

  it('never touches a secret it does not manage, nor one that cannot be written', () => {
    const conflict = plan(base(), stored({ managed: false }));
    expect(conflict.rows[0]).toMatchObject({
      action: 'conflict',
      reason: expect.stringMatching(/not managed by credential-hygiene/),
    });
    const blocked = plan(base(), stored({ blocked: 'the secret is scheduled for deletion' }));
    expect(blocked.rows[0]).toMatchObject({ action: 'conflict', reason: 'the secret is scheduled for deletion' });
    expect([...conflict.writes, ...blocked.writes]).toEqual([]);
  });

  it('rows come in the export order and the summary counts each action', () => {
    const { logins, skipped } = desired([
      login('item 10', { username: 'b' }),
      login('item 2', { notALogin: 'a card' }),
      login('item 1', { username: 'a' }),
    ]);
    const result = planImport(logins, new Map(), skipped);
    expect(result.rows.map((row) => row.position)).toEqual(['item 1', 'item 2', 'item 10']);
    expect(planSummary(result.rows)).toEqual({ create: 2, update: 0, unchanged: 0, skip: 1, conflict: 0 });
  });
});
