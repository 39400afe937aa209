import type { Account } from '../../../lambdas/core/account';
import type { EstateView, RecoveryPaths } from '../../../lambdas/core/check';
import { CheckPendingError } from '../../../lambdas/core/check';
import { checkFindings } from '../../../lambdas/core/check-findings';
import { TAKEOVER_LINKS } from '../../../lambdas/core/check-registry';
import { chainText, recoveryCheck } from '../../../lambdas/core/checks/recovery';
import { RecoveryGraph } from '../../../lambdas/core/evidence/recovery';
import { type Finding, finding } from '../../../lambdas/core/finding';
import { maskedPhone } from '../../../lambdas/core/personal-data';
import { parsePolicy } from '../../../lambdas/core/policy';
import type { Severity } from '../../../lambdas/core/severity';
import { aContext, anAccount } from '../../support/accounts';

const problem = (accountId: string, check: Finding['check'], kind: string, severity: Severity): Finding =>
  finding({ accountId, check, kind, severity, title: `${check} ${kind}`, detail: 'd', remediation: 'r' });
const ALL_RAN = {
  'breached-password': 'passed',
  'weak-password': 'passed',
  'reused-password': 'passed',
  mfa: 'passed',
};

function estateOf(findings: Record<string, Finding[]>, checked = Object.keys(findings)): EstateView {
  return {
    findingsOf: (id) => findings[id] ?? [],
    outcomesOf: (id) => (checked.includes(id) ? ALL_RAN : undefined),
    links: TAKEOVER_LINKS,
  };
}
/**
 * The takeover graph of press/x whose chains are these (each the logins that can reset it, nearest first): every
 * login on them a mailbox of its own address, each resetting the one before it.
 */
function graphOf(chains: string[][]): RecoveryPaths {
  const resetBy = new Map<string, Set<string>>();
  for (const chain of chains) {
    for (const [index, id] of chain.entries()) {
      const child = index === 0 ? 'press/x' : (chain[index - 1] as string);
      resetBy.set(child, (resetBy.get(child) ?? new Set()).add(id));
    }
  }
  const address = (id: string) => `${id.replace('/', '.')}@northshire.example`;
  const ids = new Set(['press/x', ...chains.flat()]);
  const accounts: Account[] = [...ids].map((id) => {
    const [email, recoveryEmail] = [...(resetBy.get(id) ?? [])].map(address);
    return {
      id,
      platform: id === 'press/x' ? 'x.com' : 'outlook.com',
      ...(id !== 'press/x' && { username: address(id) }),
      ...(email !== undefined && { email }),
      ...(recoveryEmail !== undefined && { recoveryEmail }),
    };
  });
  return { graph: new RecoveryGraph(accounts, (account) => account.platform === 'outlook.com') };
}
const run = (chains: string[][], estate: EstateView) =>
  checkFindings(recoveryCheck, anAccount({ id: 'press/x' }), {
    ...aContext({ evidence: { recovery: graphOf(chains) } }),
    estate,
  });

describe('Check: recovery', () => {
  it('reports a chain with an exposed link, as severe as its worst exposure, naming the chain and each problem', () => {
    const [found, ...more] = run(
      [['press/mailbox'], ['press/mailbox', 'press/recovery']],
      estateOf({
        'press/mailbox': [problem('press/mailbox', 'mfa', 'no-evidence', 'high')],
        'press/recovery': [problem('press/recovery', 'breached-password', 'breached', 'critical')],
      }),
    );

    expect(more).toEqual([]);
    expect(found).toMatchObject({ id: 'press/x#recovery:exposed-chain', severity: 'critical' });
    expect(found?.evidence).toEqual({
      chains: [{ logins: ['press/x', 'press/mailbox', 'press/recovery'] }, { logins: ['press/x', 'press/mailbox'] }],
      fixFirst: 'press/recovery',
      links: ['press/mailbox: mfa:no-evidence (high)', 'press/recovery: breached-password:breached (critical)'],
      worstExposure: 'critical',
    });
    expect(found?.detail).toMatch(
      /^Whoever holds press\/recovery can reset this login: press\/x <- press\/mailbox <- press\/recovery; press\/x <- press\/mailbox\./,
    );
    expect(found?.remediation).toMatch(/^Fix press\/recovery first/);
  });

  it('names the nearest of equally exposed links to fix first', () => {
    const [found] = run(
      [['a', 'b']],
      estateOf({
        a: [problem('a', 'weak-password', 'weak', 'high')],
        b: [problem('b', 'reused-password', 'reused', 'high')],
      }),
    );

    expect(found?.evidence.fixFirst).toBe('a');
  });

  it.each([
    ['no chain reaches it', [], {}],
    ['every link is well kept', [['press/mailbox']], { 'press/mailbox': [] }],
    [
      'the only problem is an old password',
      [['press/mailbox']],
      { 'press/mailbox': [problem('press/mailbox', 'password-age', 'too-old', 'high')] },
    ],
    [
      'the only problem is MFA not enforced',
      [['press/mailbox']],
      { 'press/mailbox': [problem('press/mailbox', 'mfa', 'not-enforced', 'low')] },
    ],
  ])('passes when %s', (_case, chains, findings) => {
    expect(run(chains as string[][], estateOf(findings as Record<string, Finding[]>))).toEqual([]);
  });

  it("still counts a link's exposure that a policy exception accepts: the risk is accepted, not gone", () => {
    const [found] = run(
      [['press/mailbox']],
      estateOf({
        'press/mailbox': [
          {
            ...problem('press/mailbox', 'weak-password', 'weak', 'high'),
            accepted: { reason: 'r', acceptedBy: 'b', expires: '2026-07-01' },
          },
        ],
      }),
    );

    expect(found).toMatchObject({ id: 'press/x#recovery:exposed-chain', severity: 'high' });
    expect(found?.evidence.links).toEqual(['press/mailbox: weak-password:weak (high, accepted until 2026-07-01)']);
  });

  it('counts a link that could not be checked as exposed', () => {
    const [found] = run(
      [['press/mailbox']],
      estateOf({ 'press/mailbox': [problem('press/mailbox', 'check-error', 'mfa', 'medium')] }),
    );

    expect(found?.severity).toBe('medium');
  });

  it('is pending, not passed, when a link was not checked in this run (a spot check)', () => {
    expect(() => run([['press/mailbox']], estateOf({}, []))).toThrow(CheckPendingError);
  });

  it('never puts more than ids, check names and severities in its evidence', () => {
    const [found] = run(
      [['press/mailbox']],
      estateOf({ 'press/mailbox': [problem('press/mailbox', 'weak-password', 'weak', 'high')] }),
    );

    expect(JSON.stringify(found?.evidence)).toBe(
      '{"chains":[{"logins":["press/x","press/mailbox"]}],"fixFirst":"press/mailbox","links":["press/mailbox: weak-password:weak (high)"],"worstExposure":"high"}',
    );
  });
});

describe('Check: recovery, where the resets go', () => {
  const policy = parsePolicy({ organisationDomains: ['northshire-police.example'] });
  const runOn = (account: Partial<Account>, paths: Partial<RecoveryPaths>, withPolicy = policy) =>
    checkFindings(recoveryCheck, anAccount({ id: 'press/x', ...account }), {
      ...aContext({ policy: withPolicy, evidence: { recovery: { ...graphOf([]), ...paths } } }),
      estate: estateOf({}),
    });
  const kinds = (found: Finding[]) => found.map((each) => `${each.id.split(':').pop()} ${each.severity}`);

  it.each([
    [
      'a personal address, on a high-impact platform',
      { recoveryEmail: 'chief.private@gmail.example' },
      {},
      ['outside-organisation high'],
    ],
    [
      'a personal address, on another platform',
      { platform: 'reddit.com', recoveryEmail: 'a@gmail.example' },
      {},
      ['outside-organisation medium'],
    ],
    ["an address on the organisation's domain", { recoveryEmail: 'press@northshire-police.example' }, {}, []],
    ['an address on a subdomain of it', { recoveryEmail: 'press@mail.northshire-police.example' }, {}, []],
    [
      'an outside address a monitored mailbox holds',
      { recoveryEmail: 'press.backup@gmail.example' },
      { recoveryEmailMonitored: true },
      [],
    ],
  ])('reports a recovery email outside the organisation: %s', (_case, account, recovery, expected) => {
    expect(kinds(runOn(account, recovery))).toEqual(expected);
  });

  it('says nothing of recovery addresses when the policy names no organisation domains', () => {
    expect(runOn({ recoveryEmail: 'a@gmail.example' }, {}, parsePolicy({}))).toEqual([]);
  });

  it('notes a recovery phone shared with other logins, masked, never in full', () => {
    const [found] = runOn(
      { recoveryPhone: '+447700900123' },
      { samePhone: { ids: ['press/facebook', 'press/tiktok'], count: 2 } },
    );

    expect(found).toMatchObject({ id: 'press/x#recovery:shared-phone', severity: 'low' });
    expect(found?.detail).toContain('+44 ••••••••23 is also the recovery phone of press/facebook, press/tiktok');
    expect(JSON.stringify(found)).not.toContain('900123');
  });

  it('notes a login with no recovery method recorded, on a platform it knows, where recovery is recorded', () => {
    const bare = { email: undefined, recoveryEmail: undefined, recoveryPhone: undefined };

    expect(kinds(runOn(bare, {}))).toEqual(['no-recovery-recorded low']);
    expect(runOn({ ...bare, platform: 'unknown.example' }, {})).toEqual([]);
    // Only where the policy names the organisation's domains: an estate that has chosen to record its recovery.
    expect(runOn(bare, {}, parsePolicy({}))).toEqual([]);
  });

  it('still reports where the resets go when a link on a chain was not checked in this run', () => {
    const found = checkFindings(recoveryCheck, anAccount({ id: 'press/x', recoveryEmail: 'a@gmail.example' }), {
      ...aContext({ policy, evidence: { recovery: graphOf([['press/mailbox']]) } }),
      estate: estateOf({}, []),
    });

    expect(kinds(found)).toEqual(['outside-organisation high']);
  });
});

describe('Function: maskedPhone', () => {
  it.each([
    ['+447700900123', '+44 ••••••••23'],
    ['+33612345678', '+33 •••••••78'],
    ['+12025550123', '+1 ••••••••23'],
    // Nine digits in all: the Faroe Islands, Greenland and Andorra show no more than the longest numbers.
    ['+298123456', '+298 ••••56'],
    ['+299123456', '+299 ••••56'],
    ['+376312345', '+376 ••••45'],
    ['+1234567', '+1 ••••67'],
    ['+4412', '+44 ••'],
  ])('%s is shown as %s: the country code and at most the last two digits', (phone, masked) => {
    expect(maskedPhone(phone)).toBe(masked);
    const digits = phone.slice(1);
    const shown = masked.replace(/\D/g, '');
    expect(shown.length).toBeLessThanOrEqual(Math.min(digits.length, 3 + 2));
    expect(digits.length - shown.length).toBeGreaterThanOrEqual(2);
  });
});

describe('Function: chainText', () => {
  it('writes a chain from its structure: an id holding the separator is quoted, never read as two links', () => {
    expect(chainText({ logins: ['press/x', 'press/mailbox'] })).toBe('press/x <- press/mailbox');
    expect(chainText({ logins: ['press/x', 'a <- b'] })).toBe('press/x <- "a <- b"');
    expect(chainText({ logins: ['x', 'm0', 'm9'], hidden: 8 })).toBe('x <- m0 <- (8 more) <- m9');
  });
});
