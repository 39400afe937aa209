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

describe('Function: reconcile, accepted risks', () => {
  const acceptance = { reason: 'vendor migration in spring', acceptedBy: 'Head of Digital', expires: '2026-06-30' };
  const accepted = (until = acceptance.expires): Finding => ({
    ...mfaOff(),
    accepted: { ...acceptance, expires: until },
  });

  it('tells no one of an accepted finding, and neither resolves it nor calls it new while it stays accepted', () => {
    const notified = run([], [mfaOff()], T0);
    const first = run(notified.state, [accepted()], at(1));
    const second = run(first.state, [accepted()], at(2));

    for (const each of [first, second]) {
      expect(each.outcome.notify).toEqual([]);
      expect(each.outcome.summary).toMatchObject({ accepted: ['press/x#mfa:no-evidence'], new: [], resolved: [] });
    }
    expect(second.state[0]).toMatchObject({ status: 'open', accepted: acceptance, firstSeen: T0.toISOString() });
  });

  it('reopens the finding the day its acceptance has ended, tells it once with the acceptance, then as usual', () => {
    const during = run([], [accepted()], T0);
    // 2026-07-01: the day after `expires`; the engine no longer marks the finding accepted.
    const after = run(during.state, [mfaOff()], new Date('2026-07-01T00:00:00Z'));
    const next = run(after.state, [mfaOff()], new Date('2026-07-02T00:00:00Z'));

    expect(after.outcome.summary.reopened).toEqual(['press/x#mfa:no-evidence']);
    expect(after.outcome.notify.map((found) => found.id)).toEqual(['press/x#mfa:no-evidence']);
    expect(after.outcome.reopened.get('press/x#mfa:no-evidence')).toEqual(acceptance);
    expect(after.state[0]?.accepted).toBeUndefined();
    expect(next.outcome.summary).toMatchObject({ reopened: [], unchanged: ['press/x#mfa:no-evidence'] });
    expect(next.outcome.notify).toEqual([]);
  });

  it('tells an owner once that an acceptance ends within 14 days, and again if it is extended', () => {
    const early = run([], [accepted()], new Date('2026-06-16T00:00:00Z'));
    const near = run(early.state, [accepted()], new Date('2026-06-17T00:00:00Z'));
    const nearer = run(near.state, [accepted()], new Date('2026-06-20T00:00:00Z'));
    const extended = run(nearer.state, [accepted('2026-07-10')], new Date('2026-06-27T00:00:00Z'));

    expect(early.outcome.ending).toEqual([]);
    expect(near.outcome.ending.map((found) => found.id)).toEqual(['press/x#mfa:no-evidence']);
    expect(nearer.outcome.ending).toEqual([]);
    expect(extended.outcome.ending.map((found) => found.id)).toEqual(['press/x#mfa:no-evidence']);
    expect([near, nearer, extended].map((each) => each.outcome.notify)).toEqual([[], [], []]);
  });

  it('resolves an accepted finding that is fixed', () => {
    const during = run([], [accepted()], T0);
    const fixed = run(during.state, [], at(1));

    expect(fixed.outcome.summary.resolved).toEqual(['press/x#mfa:no-evidence']);
  });
});

describe('Function: reconcile, what counts as fixed', () => {
  const ran = (mfa: 'passed' | 'failed' | 'error' | 'pending' | undefined) => () => (mfa ? { mfa } : {});

  it.each([
    ['the check ran and passed', 'passed', undefined, 'resolved'],
    ['the check could not run', 'error', undefined, 'unconfirmed'],
    ['the check was pending', 'pending', undefined, 'kept'],
    ['the check was not run at all', undefined, undefined, 'kept'],
    ['the check ran on weaker evidence', 'failed', 'stale', 'unconfirmed'],
    ['the check ran on evidence as strong', 'passed', 'attested', 'resolved'],
    ['the check ran on stronger evidence', 'passed', 'verified', 'resolved'],
  ] as const)(
    'a finding the run did not find, where %s (outcome %s, evidence %s), is %s',
    (_case, outcome, level, expected) => {
      const first = run([], [mfaOff()], T0, { evidenceLevelOf: () => 'attested' });
      const { outcome: second } = run(first.state, [], at(1), {
        outcomesOf: ran(outcome),
        evidenceLevelOf: () => level,
      });

      const kept = second.next.find((state) => state.id === 'press/x#mfa:no-evidence');
      const what =
        second.summary.resolved.length > 0 ? 'resolved' : second.unconfirmed.length > 0 ? 'unconfirmed' : 'kept';
      expect(what).toBe(expected);
      expect(kept?.status).toBe(expected === 'resolved' ? 'resolved' : 'open');
    },
  );

  it('reports a finding held open again, saying why, and keeps when it was last seen', () => {
    const first = run([], [mfaOff()], T0, { evidenceLevelOf: () => 'attested' });

    const { outcome } = run(first.state, [], at(1), {
      outcomesOf: () => ({ mfa: 'failed' }),
      evidenceLevelOf: () => 'stale',
    });

    expect(outcome.unconfirmed).toEqual([
      expect.objectContaining({
        id: 'press/x#mfa:no-evidence',
        severity: 'high',
        detail: expect.stringMatching(
          /^Last found on 2026-06-01; not found this run, but this run's evidence \(an out-of-date attestation\) is weaker than what it was found on \(the owner's attestation\)/,
        ),
      }),
    ]);
    expect(outcome.summary).toMatchObject({
      unchanged: ['press/x#mfa:no-evidence'],
      unconfirmed: ['press/x#mfa:no-evidence'],
    });
    expect(outcome.next.find((state) => state.id === 'press/x#mfa:no-evidence')).toMatchObject({
      status: 'open',
      lastSeen: T0.toISOString(),
      evidenceLevel: 'attested',
    });
  });

  it('resolves a check-error once its check runs, and keeps it while that check is not run', () => {
    const error = finding({
      accountId: 'press/x',
      check: 'check-error',
      kind: 'mfa',
      severity: 'medium',
      title: 't',
      detail: 'd',
      remediation: 'r',
    });
    const first = run([], [error], T0);

    expect(run(first.state, [], at(1), { outcomesOf: () => ({}) }).outcome.summary.resolved).toEqual([]);
    expect(run(first.state, [], at(1), { outcomesOf: () => ({ mfa: 'passed' }) }).outcome.summary.resolved).toEqual([
      'press/x#check-error:mfa',
    ]);
  });
});
