import type { EstateView } from '../../../lambdas/core/check';
import { CheckPendingError } from '../../../lambdas/core/check';
import { recoveryCheck } from '../../../lambdas/core/checks/recovery';
import { type Finding, finding } from '../../../lambdas/core/finding';
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
