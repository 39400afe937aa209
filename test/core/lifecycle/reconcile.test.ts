import { type Finding, finding } from '../../../lambdas/core/finding';
import type { FindingState } from '../../../lambdas/core/lifecycle/lifecycle-state';
import { type ReconcileInput, reconcile } from '../../../lambdas/core/lifecycle/reconcile';
import { DEFAULT_POLICY } from '../../../lambdas/core/policy';
import type { Severity } from '../../../lambdas/core/severity';

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T06:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const mfaOff = (severity: Severity = 'high', accountId = 'press/x'): Finding =>
  finding({
    accountId,
    check: 'mfa',
    kind: 'no-evidence',
    severity,
    title: 'No evidence of a second factor',
    detail: 'd',
    remediation: 'r',
  });

/** One run: reconcile against `previous`, then keep `next` as if the notifications were delivered. */
function run(previous: readonly FindingState[], findings: Finding[], now: Date, extra: Partial<ReconcileInput> = {}) {
  const outcome = reconcile({
    previous,
    findings,
    checkedAccounts: new Map([
      ['press/x', 'press'],
      ['press/fb', 'press'],
    ]),
    fullRun: false,
    now,
    reminderDays: DEFAULT_POLICY.reminderDays,
    ...extra,
  });
  const byId = new Map(previous.map((state) => [state.id, state]));
  for (const state of outcome.next) byId.set(state.id, state);
  return { outcome, state: [...byId.values()] };
}

describe('Function: reconcile', () => {
  it('walks a finding through new, unchanged, reminded, worsened and resolved', () => {
    const first = run([], [mfaOff('high')], T0);
    expect(first.outcome.summary).toMatchObject({ new: ['press/x#mfa:no-evidence'], unchanged: [], resolved: [] });
    expect(first.outcome.notify).toHaveLength(1);

    const second = run(first.state, [mfaOff('high')], at(1));
    expect(second.outcome.summary).toMatchObject({ new: [], unchanged: ['press/x#mfa:no-evidence'] });
    expect(second.outcome.notify).toEqual([]);

    const reminder = run(second.state, [mfaOff('high')], at(7));
    expect(reminder.outcome.summary.reminded).toEqual(['press/x#mfa:no-evidence']);

    const worse = run(reminder.state, [mfaOff('critical')], at(8));
    expect(worse.outcome.summary.worsened).toEqual(['press/x#mfa:no-evidence']);

    const fixed = run(worse.state, [], at(9));
    expect(fixed.outcome.summary.resolved).toEqual(['press/x#mfa:no-evidence']);
    expect(fixed.outcome.resolved[0]).toMatchObject({
      status: 'resolved',
      owner: 'press',
      firstSeen: T0.toISOString(),
    });

    const after = run(fixed.state, [], at(10));
    expect(after.outcome.summary.resolved).toEqual([]);
    expect(after.outcome.resolved).toEqual([]);

    const back = run(after.state, [mfaOff('high')], at(11));
    expect(back.outcome.summary.new).toEqual(['press/x#mfa:no-evidence']);
  });

  it.each([
    ['critical', 1],
    ['high', 7],
    ['medium', 30],
    ['low', 30],
  ] as const)('reminds of a %s finding after %i days, not before', (severity, days) => {
    const seen = run([], [mfaOff(severity)], T0).state;

    expect(run(seen, [mfaOff(severity)], new Date(at(days).getTime() - 60_000)).outcome.summary.reminded).toEqual([]);
    expect(run(seen, [mfaOff(severity)], at(days)).outcome.summary.reminded).toHaveLength(1);
  });

  it('does not notify a severity that fell, but remembers it', () => {
    const seen = run([], [mfaOff('critical')], T0).state;

    const lower = run(seen, [mfaOff('medium')], at(1));

    expect(lower.outcome.notify).toEqual([]);
    expect(lower.outcome.next[0]?.severity).toBe('medium');
  });

  it('resolves nothing for accounts a spot check did not check', () => {
    const seen = run([], [mfaOff('high', 'press/x'), mfaOff('high', 'press/fb')], T0).state;

    const spot = run(seen, [], at(1), { checkedAccounts: new Map([['press/fb', 'press']]) });

    expect(spot.outcome.summary.resolved).toEqual(['press/fb#mfa:no-evidence']);
  });

  it('resolves a finding that depends on other accounts (reuse) only in a run that saw the whole estate', () => {
    const reused = (accountId: string) =>
      finding({
        accountId,
        check: 'reused-password',
        kind: 'reused',
        severity: 'high',
        title: 'Password is shared with other accounts',
        detail: 'd',
        remediation: 'r',
      });
    const estateWideChecks = new Set(['reused-password'] as const);
    const seen = run([], [reused('press/x'), reused('press/fb')], T0, { fullRun: true, estateWideChecks }).state;

    // A spot check of press/x alone cannot see press/fb: the reuse is not evidence of a fix.
    const spot = run(seen, [], at(1), { checkedAccounts: new Map([['press/x', 'press']]), estateWideChecks });
    expect(spot.outcome.summary.resolved).toEqual([]);
    expect(spot.outcome.notify).toEqual([]);

    const full = run(spot.state, [], at(2), { fullRun: true, estateWideChecks });
    expect([...full.outcome.summary.resolved].sort()).toEqual([
      'press/fb#reused-password:reused',
      'press/x#reused-password:reused',
    ]);
  });

  it('in a full run, resolves the findings of accounts no longer in the inventory', () => {
    const seen = run([], [mfaOff('high', 'retired/account')], T0, {
      checkedAccounts: new Map([['retired/account', 'press']]),
    }).state;

    const full = run(seen, [], at(1), { checkedAccounts: new Map(), fullRun: true });

    expect(full.outcome.resolved).toEqual([expect.objectContaining({ accountId: 'retired/account', owner: 'press' })]);
  });

  it('treats a finding whose notification was never delivered as new', () => {
    const undelivered: FindingState = { ...(run([], [mfaOff()], T0).outcome.next[0] as FindingState) };
    const { lastNotified: _never, ...withoutNotification } = undelivered;

    expect(run([withoutNotification], [mfaOff()], at(1)).outcome.summary.new).toHaveLength(1);
  });
});
