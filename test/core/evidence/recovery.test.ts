import type { Account } from '../../../lambdas/core/account';
import type { EstateView, LinkVerdict } from '../../../lambdas/core/check';
import { TAKEOVER_LINKS } from '../../../lambdas/core/check-registry';
import { asciiDomain, mailboxAddress } from '../../../lambdas/core/email-address';
import type { CollectionContext } from '../../../lambdas/core/evidence/collector';
import {
  MAX_CHAINS_SHOWN,
  MAX_NAMED_LOGINS,
  RecoveryGraph,
  recoveryCollector,
} from '../../../lambdas/core/evidence/recovery';
import { PlatformCatalog } from '../../../lambdas/core/platform-catalog';

const login = (id: string, fields: Partial<Account> = {}): Account => ({ id, platform: 'x.com', ...fields });
const mailbox = (id: string, address: string, fields: Partial<Account> = {}): Account => ({
  id,
  platform: 'outlook.com',
  username: address,
  ...fields,
});
const isMailbox = (account: Account) => account.platform === 'outlook.com';
const GMAIL = PlatformCatalog.bundled().addressRules();
/** Each estate view is its own estate: the graph judges it once. */
const anEstate = (): EstateView => ({ findingsOf: () => [], outcomesOf: () => undefined, links: TAKEOVER_LINKS });
const judged = (verdicts: Record<string, LinkVerdict>) => (id: string) => verdicts[id] ?? 'safe';

describe('Class: RecoveryGraph', () => {
  const takeover = (accounts: Account[], verdicts: Record<string, LinkVerdict>, id: string) =>
    new RecoveryGraph(accounts, isMailbox).takeoverOf(id, anEstate(), judged(verdicts));

  it("finds the mailbox of a login's own email and of its recovery email, directly", () => {
    const accounts = [
      mailbox('press/mailbox', 'press@northshire.example'),
      mailbox('it/mailbox', 'it@northshire.example'),
      login('press/x', { email: 'press@northshire.example', recoveryEmail: 'it@northshire.example' }),
    ];

    expect(takeover(accounts, { 'press/mailbox': { severity: 'high' } }, 'press/x')).toEqual({
      kind: 'exposed',
      severity: 'high',
      fixFirst: 'press/mailbox',
      chains: [{ logins: ['press/x', 'press/mailbox'] }],
    });
    expect(takeover(accounts, { 'it/mailbox': { severity: 'critical' } }, 'press/x')).toMatchObject({
      fixFirst: 'it/mailbox',
    });
    expect(new RecoveryGraph(accounts, isMailbox).blastRadius().get('press/mailbox')).toEqual({
      ids: ['press/x'],
      count: 1,
    });
  });

  it('follows the mailbox that can reset the mailbox, naming the worst link first and a chain for each lesser one', () => {
    const accounts = [
      mailbox('press/mailbox', 'press@northshire.example', { recoveryEmail: 'press.recovery@gmail.example' }),
      mailbox('press/recovery', 'press.recovery@gmail.example'),
      login('press/x', { email: 'press@northshire.example' }),
    ];

    expect(
      takeover(
        accounts,
        { 'press/mailbox': { severity: 'high' }, 'press/recovery': { severity: 'critical' } },
        'press/x',
      ),
    ).toEqual({
      kind: 'exposed',
      severity: 'critical',
      fixFirst: 'press/recovery',
      chains: [{ logins: ['press/x', 'press/mailbox', 'press/recovery'] }, { logins: ['press/x', 'press/mailbox'] }],
    });
    expect(new RecoveryGraph(accounts, isMailbox).blastRadius().get('press/recovery')).toEqual({
      ids: ['press/mailbox', 'press/x'],
      count: 2,
    });
  });

  it('names the nearest of equally exposed links to fix first', () => {
    const accounts = [
      mailbox('a', 'a@northshire.example', { recoveryEmail: 'b@northshire.example' }),
      mailbox('b', 'b@northshire.example'),
      login('x', { email: 'a@northshire.example' }),
    ];

    expect(takeover(accounts, { a: { severity: 'high' }, b: { severity: 'high' } }, 'x')).toMatchObject({
      fixFirst: 'a',
      chains: [{ logins: ['x', 'a'] }],
    });
  });

  it('follows a chain to any depth: five resets away is still a way in, never a pass', () => {
    const links = Array.from({ length: 5 }, (_, index) =>
      mailbox(`m${index}`, `m${index}@northshire.example`, { recoveryEmail: `m${index + 1}@northshire.example` }),
    );
    const accounts = [...links, login('x', { email: 'm0@northshire.example' })];

    expect(takeover(accounts, { m4: { severity: 'critical' } }, 'x')).toEqual({
      kind: 'exposed',
      severity: 'critical',
      fixFirst: 'm4',
      chains: [{ logins: ['x', 'm0', 'm1', 'm2', 'm3', 'm4'] }],
    });
  });

  it('shows a long chain by its nearest links and its end, saying how many it leaves out', () => {
    const links = Array.from({ length: 40 }, (_, index) =>
      mailbox(`m${String(index).padStart(2, '0')}`, `m${index}@northshire.example`, {
        recoveryEmail: `m${index + 1}@northshire.example`,
      }),
    );
    const accounts = [...links, login('x', { email: 'm0@northshire.example' })];

    expect(takeover(accounts, { m39: { severity: 'high' } }, 'x')).toMatchObject({
      chains: [{ logins: ['x', 'm00', 'm01', 'm02', 'm03', 'm39'], hidden: 35 }],
    });
  });

  it('ends a chain at a cycle, and a login exposed itself is not its own way in', () => {
    const accounts = [
      mailbox('a', 'a@northshire.example', { recoveryEmail: 'b@northshire.example' }),
      mailbox('b', 'b@northshire.example', { recoveryEmail: 'a@northshire.example' }),
      mailbox('self', 'self@northshire.example', { recoveryEmail: 'self@northshire.example' }),
      login('x', { email: 'a@northshire.example' }),
    ];

    expect(takeover(accounts, { a: { severity: 'high' } }, 'x')).toMatchObject({ chains: [{ logins: ['x', 'a'] }] });
    expect(takeover(accounts, { a: { severity: 'high' } }, 'b')).toMatchObject({ chains: [{ logins: ['b', 'a'] }] });
    // a's only way in is b, which is well kept: its own weakness is its own finding, not a chain.
    expect(takeover(accounts, { a: { severity: 'high' } }, 'a')).toEqual({ kind: 'none' });
    expect(takeover(accounts, { self: { severity: 'critical' } }, 'self')).toEqual({ kind: 'none' });
  });

  it('is pending when no exposed link reaches a login but one that could not be judged does', () => {
    const accounts = [mailbox('m', 'm@northshire.example'), login('x', { email: 'm@northshire.example' })];

    expect(takeover(accounts, { m: 'unjudged' }, 'x')).toEqual({ kind: 'pending', link: 'm' });
    expect(takeover(accounts, { m: 'unjudged' }, 'm')).toEqual({ kind: 'none' });
  });

  it('draws no edge to an address no monitored mailbox holds, nor from a login that is not a mailbox', () => {
    const accounts = [
      login('press/facebook', { username: 'press@northshire.example', email: 'press@northshire.example' }),
      login('press/x', { email: 'press@northshire.example', recoveryEmail: 'someone@elsewhere.example' }),
    ];
    const verdicts = { 'press/facebook': { severity: 'critical' } } as const;

    expect(takeover(accounts, verdicts, 'press/x')).toEqual({ kind: 'none' });
    expect(new RecoveryGraph(accounts, isMailbox).blastRadius().size).toBe(0);
  });

  it('judges the estate once, however many logins ask', () => {
    const accounts = [mailbox('m', 'm@northshire.example'), login('x', { email: 'm@northshire.example' })];
    const graph = new RecoveryGraph(accounts, isMailbox);
    const estate = anEstate();
    const asked: string[] = [];
    const judge = (id: string): LinkVerdict => {
      asked.push(id);
      return 'safe';
    };

    graph.takeoverOf('x', estate, judge);
    graph.takeoverOf('m', estate, judge);

    expect(asked.sort()).toEqual(['m', 'x']);
  });

  it('stays linear on a dense estate: 1,000 mailboxes that all share one address, and 1,000 logins behind them', () => {
    const shared = 'press@northshire.example';
    const accounts = [
      ...Array.from({ length: 1000 }, (_, index) => mailbox(`mailbox-${String(index).padStart(4, '0')}`, shared)),
      ...Array.from({ length: 1000 }, (_, index) =>
        login(`login-${String(index).padStart(4, '0')}`, { email: shared }),
      ),
    ];
    const graph = new RecoveryGraph(accounts, isMailbox);
    const estate = anEstate();
    const judge = judged({ 'mailbox-0999': { severity: 'critical' }, 'mailbox-0500': { severity: 'high' } });

    const verdicts = accounts.map((account) => graph.takeoverOf(account.id, estate, judge));
    const radius = graph.blastRadius();

    expect(verdicts.every((verdict) => verdict.kind === 'exposed')).toBe(true);
    expect(verdicts[0]).toEqual({
      kind: 'exposed',
      severity: 'critical',
      fixFirst: 'mailbox-0999',
      chains: [{ logins: ['mailbox-0000', 'mailbox-0999'] }, { logins: ['mailbox-0000', 'mailbox-0500'] }],
    });
    // The exposed mailbox is not its own way in, but the other one is.
    expect(verdicts[999]).toMatchObject({ severity: 'high', fixFirst: 'mailbox-0500' });
    expect(radius.get('mailbox-0000')).toEqual({
      ids: Array.from({ length: MAX_NAMED_LOGINS }, (_, index) => `login-000${index}`),
      count: 1999,
    });
    expect(Math.max(...verdicts.map((verdict) => (verdict.kind === 'exposed' ? verdict.chains.length : 0)))).toBe(
      Math.min(MAX_CHAINS_SHOWN, 2),
    );
  });
});

describe('Function: mailboxAddress', () => {
  it('matches addresses regardless of case, spaces and plus tags', () => {
    expect(mailboxAddress(' Press+X@Northshire.Example ')).toBe('press@northshire.example');
    expect(mailboxAddress('+tag@northshire.example')).toBe('+tag@northshire.example');
  });

  it("folds Gmail's dots and googlemail.com, as Google documents, and nobody else's", () => {
    expect(mailboxAddress('northshire.press@gmail.com', GMAIL)).toBe('northshirepress@gmail.com');
    expect(mailboxAddress('NorthshirePress@googlemail.com', GMAIL)).toBe('northshirepress@gmail.com');
    expect(mailboxAddress('north.shire+x@GoogleMail.com', GMAIL)).toBe('northshire@gmail.com');
    // Dots matter on a Workspace domain and at every other provider.
    expect(mailboxAddress('northshire.press@northshire.example', GMAIL)).toBe('northshire.press@northshire.example');
    expect(mailboxAddress('northshire.press@outlook.com', GMAIL)).toBe('northshire.press@outlook.com');
  });

  it('reads an internationalised domain the same in Unicode and in punycode', () => {
    expect(mailboxAddress('Presse@Bücher.example')).toBe('presse@xn--bcher-kva.example');
    expect(mailboxAddress('presse@xn--bcher-kva.example')).toBe('presse@xn--bcher-kva.example');
    expect(asciiDomain('BÜCHER.example')).toBe('xn--bcher-kva.example');
    expect(asciiDomain('not a/domain')).toBe('not a/domain');
  });
});

describe('The recovery collector', () => {
  const collect = (accounts: Account[]) =>
    recoveryCollector().collect({ accounts, platforms: PlatformCatalog.bundled() } as unknown as CollectionContext);

  it('gives each login the graph, whether its recovery email is a monitored mailbox, and who shares its phone', async () => {
    const accounts: Account[] = [
      { id: 'press/mailbox', platform: 'outlook.com', username: 'press@northshire.example' },
      { id: 'press/x', platform: 'x.com', email: 'press@northshire.example', recoveryPhone: '+447700900123' },
      {
        id: 'press/tiktok',
        platform: 'tiktok.com',
        recoveryEmail: 'Press@Northshire.example',
        recoveryPhone: '+447700900123',
      },
      { id: 'chief/linkedin', platform: 'linkedin.com', recoveryEmail: 'chief@gmail.example' },
    ];

    const { byAccount, result } = await collect(accounts);

    expect(byAccount.get('press/x')).toMatchObject({ samePhone: { ids: ['press/tiktok'], count: 1 } });
    expect(byAccount.get('press/tiktok')).toMatchObject({
      recoveryEmailMonitored: true,
      samePhone: { ids: ['press/x'], count: 1 },
    });
    expect(byAccount.get('chief/linkedin')).toMatchObject({ recoveryEmailMonitored: false });
    expect(byAccount.get('chief/linkedin')?.samePhone).toBeUndefined();
    expect(result?.exposes?.get('press/mailbox')).toEqual({ ids: ['press/tiktok', 'press/x'], count: 2 });
  });

  it('matches the same Gmail mailbox however its address is spelt', async () => {
    const { result } = await collect([
      { id: 'press/gmail', platform: 'gmail.com', username: 'northshirepress@gmail.com' },
      { id: 'press/x', platform: 'x.com', email: 'northshire.press@gmail.com' },
      { id: 'press/bluesky', platform: 'bsky.app', recoveryEmail: 'NorthshirePress@googlemail.com' },
    ]);

    expect(result?.exposes?.get('press/gmail')).toEqual({ ids: ['press/bluesky', 'press/x'], count: 2 });
  });

  it('names at most ten of the logins that share a phone, and counts them all', async () => {
    const accounts = Array.from({ length: 30 }, (_, index) =>
      login(`l${String(index).padStart(2, '0')}`, { recoveryPhone: '+447700900123' }),
    );

    const { byAccount } = await collect(accounts);

    expect(byAccount.get('l05')?.samePhone).toEqual({
      ids: ['l00', 'l01', 'l02', 'l03', 'l04', 'l06', 'l07', 'l08', 'l09', 'l10'],
      count: 29,
    });
  });
});

describe('Class: RecoveryGraph, mailboxes alone', () => {
  it('finds two mailboxes that hold one address each other’s way in, with no other login behind them', () => {
    const accounts = [mailbox('a', 'shared@northshire.example'), mailbox('b', 'Shared@northshire.example')];
    const graph = new RecoveryGraph(accounts, isMailbox);

    expect(graph.takeoverOf('b', anEstate(), judged({ a: { severity: 'critical' } }))).toMatchObject({
      kind: 'exposed',
      fixFirst: 'a',
    });
    expect(graph.blastRadius().get('a')).toEqual({ ids: ['b'], count: 1 });
  });

  it('needs no search where every mailbox is reached only through its own address', () => {
    const accounts = [mailbox('a', 'a@northshire.example'), mailbox('b', 'b@northshire.example')];

    expect(
      new RecoveryGraph(accounts, isMailbox).takeoverOf('b', anEstate(), judged({ a: { severity: 'critical' } })),
    ).toEqual({ kind: 'none' });
  });
});
