import type { Account } from '../../../lambdas/core/account';
import type { EstateView, RecoveryPaths } from '../../../lambdas/core/check';
import { CheckPendingError } from '../../../lambdas/core/check';
import { recoveryCheck } from '../../../lambdas/core/checks/recovery';
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
  };
}
const run = (chains: string[][], estate: EstateView) =>
  recoveryCheck.run(anAccount({ id: 'press/x' }), { ...aContext({ evidence: { recovery: { chains } } }), estate });

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
      chains: ['press/x <- press/mailbox', 'press/x <- press/mailbox <- press/recovery'],
      fixFirst: 'press/recovery',
      links: ['press/mailbox: mfa:no-evidence (high)', 'press/recovery: breached-password:breached (critical)'],
    });
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
    [
      "the link's exposure is an accepted risk",
      [['press/mailbox']],
      {
        'press/mailbox': [
          {
            ...problem('press/mailbox', 'mfa', 'unavailable', 'medium'),
            accepted: { reason: 'r', acceptedBy: 'b', expires: '2026-07-01' },
          },
        ],
      },
    ],
  ])('passes when %s', (_case, chains, findings) => {
    expect(run(chains as string[][], estateOf(findings as Record<string, Finding[]>))).toEqual([]);
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
      '{"chains":["press/x <- press/mailbox"],"fixFirst":"press/mailbox","links":["press/mailbox: weak-password:weak (high)"]}',
    );
  });
});

describe('Check: recovery, where the resets go', () => {
  const policy = parsePolicy({ organisationDomains: ['northshire-police.example'] });
  const runOn = (account: Partial<Account>, recovery: RecoveryPaths, withPolicy = policy) =>
    recoveryCheck.run(anAccount({ id: 'press/x', ...account }), {
      ...aContext({ policy: withPolicy, evidence: { recovery } }),
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
    expect(kinds(runOn(account, { chains: [], ...recovery }))).toEqual(expected);
  });

  it('says nothing of recovery addresses when the policy names no organisation domains', () => {
    expect(runOn({ recoveryEmail: 'a@gmail.example' }, { chains: [] }, parsePolicy({}))).toEqual([]);
  });

  it('notes a recovery phone shared with other logins, masked, never in full', () => {
    const [found] = runOn(
      { recoveryPhone: '+447700900123' },
      { chains: [], samePhone: ['press/facebook', 'press/tiktok'] },
    );

    expect(found).toMatchObject({ id: 'press/x#recovery:shared-phone', severity: 'low' });
    expect(found?.detail).toContain('+44 7700 9•• •23 is also the recovery phone of press/facebook, press/tiktok');
    expect(JSON.stringify(found)).not.toContain('900123');
  });

  it('notes a login with no recovery method recorded, on a platform it knows, where recovery is recorded', () => {
    const bare = { email: undefined, recoveryEmail: undefined, recoveryPhone: undefined };

    expect(kinds(runOn(bare, { chains: [] }))).toEqual(['no-recovery-recorded low']);
    expect(runOn({ ...bare, platform: 'unknown.example' }, { chains: [] })).toEqual([]);
    // Only where the policy names the organisation's domains: an estate that has chosen to record its recovery.
    expect(runOn(bare, { chains: [] }, parsePolicy({}))).toEqual([]);
  });

  it('still reports where the resets go when a link on a chain was not checked in this run', () => {
    const found = recoveryCheck.run(anAccount({ id: 'press/x', recoveryEmail: 'a@gmail.example' }), {
      ...aContext({ policy, evidence: { recovery: { chains: [['press/mailbox']] } } }),
      estate: estateOf({}, []),
    });

    expect(kinds(found)).toEqual(['outside-organisation high']);
  });
});

describe('Function: maskedPhone', () => {
  it.each([
    ['+447700900123', '+44 7700 9•• •23'],
    ['+33612345678', '+33 6123 4•• 78'],
    ['+1234567', '+•••••67'],
  ])('%s is shown as %s', (phone, masked) => {
    expect(maskedPhone(phone)).toBe(masked);
  });
});
