import type { Account } from '../../../lambdas/core/account';
import type { CollectionContext } from '../../../lambdas/core/evidence/collector';
import {
  MAX_CHAIN_DEPTH,
  mailboxAddress,
  recoveryCollector,
  recoveryGraph,
  recoveryPaths,
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
const paths = (accounts: Account[]) => {
  const { resetBy } = recoveryGraph(accounts, isMailbox);
  return recoveryPaths(resetBy);
};

describe('The recovery graph', () => {
  it("finds the mailbox of a login's own email and of its recovery email, directly", () => {
    const { pathsTo, exposes } = paths([
      mailbox('press/mailbox', 'press@northshire.example'),
      mailbox('it/mailbox', 'it@northshire.example'),
      login('press/x', { email: 'press@northshire.example', recoveryEmail: 'it@northshire.example' }),
    ]);

    expect(pathsTo.get('press/x')).toEqual([['it/mailbox'], ['press/mailbox']]);
    expect(exposes.get('press/mailbox')).toEqual(['press/x']);
  });

  it('follows two hops: the mailbox that can reset the mailbox', () => {
    const { pathsTo, exposes } = paths([
      mailbox('press/mailbox', 'press@northshire.example', { recoveryEmail: 'press.recovery@gmail.example' }),
      mailbox('press/recovery', 'press.recovery@gmail.example'),
      login('press/x', { email: 'press@northshire.example' }),
    ]);

    expect(pathsTo.get('press/x')).toEqual([['press/mailbox'], ['press/mailbox', 'press/recovery']]);
    expect(exposes.get('press/recovery')).toEqual(['press/mailbox', 'press/x']);
  });

  it('ends a chain at a cycle, and a mailbox that recovers to itself adds nothing', () => {
    const { pathsTo } = paths([
      mailbox('a', 'a@northshire.example', { recoveryEmail: 'b@northshire.example' }),
      mailbox('b', 'b@northshire.example', { recoveryEmail: 'a@northshire.example' }),
      mailbox('self', 'self@northshire.example', { recoveryEmail: 'self@northshire.example' }),
      login('x', { email: 'a@northshire.example' }),
    ]);

    expect(pathsTo.get('x')).toEqual([['a'], ['a', 'b']]);
    expect(pathsTo.get('a')).toEqual([['b']]);
    expect(pathsTo.has('self')).toBe(false);
  });

  it('draws no edge to an address no monitored mailbox holds, nor from a login that is not a mailbox', () => {
    const { pathsTo } = paths([
      login('press/facebook', { username: 'press@northshire.example', email: 'press@northshire.example' }),
      login('press/x', { email: 'press@northshire.example', recoveryEmail: 'someone@elsewhere.example' }),
    ]);

    expect(pathsTo.size).toBe(0);
  });

  it('matches addresses regardless of case, spaces and plus tags', () => {
    expect(mailboxAddress(' Press+X@Northshire.Example ')).toBe('press@northshire.example');
    expect(mailboxAddress('+tag@northshire.example')).toBe('+tag@northshire.example');
    const { pathsTo } = paths([
      mailbox('press/mailbox', 'PRESS@northshire.example'),
      login('press/x', { email: 'press+x@Northshire.example' }),
    ]);

    expect(pathsTo.get('press/x')).toEqual([['press/mailbox']]);
  });

  it(`stops at ${MAX_CHAIN_DEPTH} links`, () => {
    const chain = Array.from({ length: 7 }, (_, index) =>
      mailbox(`m${index}`, `m${index}@northshire.example`, { recoveryEmail: `m${index + 1}@northshire.example` }),
    );
    const { pathsTo } = paths([...chain, login('x', { email: 'm0@northshire.example' })]);

    expect(Math.max(...(pathsTo.get('x') ?? []).map((path) => path.length))).toBe(MAX_CHAIN_DEPTH);
  });
});

describe('The recovery collector', () => {
  it('gives each login its chains, whether its recovery email is a monitored mailbox, and who shares its phone', async () => {
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
    const context = { accounts, platforms: PlatformCatalog.bundled() } as unknown as CollectionContext;

    const { byAccount, result } = await recoveryCollector().collect(context);

    expect(byAccount.get('press/x')).toEqual({ chains: [['press/mailbox']], samePhone: ['press/tiktok'] });
    expect(byAccount.get('press/tiktok')).toEqual({
      chains: [['press/mailbox']],
      recoveryEmailMonitored: true,
      samePhone: ['press/x'],
    });
    expect(byAccount.get('chief/linkedin')).toEqual({ chains: [], recoveryEmailMonitored: false });
    expect(result?.exposes?.get('press/mailbox')).toEqual(['press/tiktok', 'press/x']);
  });
});
