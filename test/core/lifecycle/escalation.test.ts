import type { Finding } from '../../../lambdas/core/finding';
import type { FindingState } from '../../../lambdas/core/lifecycle/lifecycle-state';
import { reconcile } from '../../../lambdas/core/lifecycle/reconcile';

const DAY_MS = 86_400_000;
const START = new Date('2026-11-01T09:00:00Z');
const day = (n: number) => new Date(START.getTime() + n * DAY_MS);
const critical: Finding = {
  id: 'press-office/x#breached-password:breached',
  accountId: 'press-office/x',
  check: 'breached-password',
  severity: 'critical',
  title: 'Password appears in a breach corpus',
  detail: '',
  remediation: '',
} as Finding;

/** Runs the lifecycle day by day with `findings(day)`, returning on which days each finding was escalated. */
function run(days: number, findings: (n: number) => Finding[], escalationDays = { critical: 7 }) {
  let state: readonly FindingState[] = [];
  const escalated: [number, string, number][] = [];
  for (let n = 0; n <= days; n++) {
    const found = findings(n);
    const outcome = reconcile({
      previous: state,
      findings: found,
      checkedAccounts: new Map([['press-office/x', 'press-office']]),
      fullRun: true,
      now: day(n),
      reminderDays: { critical: 1, high: 7, medium: 30, low: 30, info: 30 },
      escalationDays,
    });
    for (const each of outcome.escalate) escalated.push([n, each.finding.id, each.openDays]);
    state = outcome.next;
  }
  return escalated;
}

describe('escalation: a finding left open past its days is told once more, to someone new', () => {
  it('a critical finding open from day 0 escalates once, on day 8, not on day 7 nor again on day 9', () => {
    expect(run(12, () => [critical])).toEqual([[8, critical.id, 8]]);
  });

  it('a severity the policy does not list never escalates', () => {
    expect(run(40, () => [{ ...critical, severity: 'high' }])).toEqual([]);
    expect(run(40, () => [critical], {} as { critical: number })).toEqual([]);
  });

  it('an accepted finding never escalates; when the acceptance ends its days start again', () => {
    const accepted = {
      ...critical,
      accepted: { reason: 'retiring', acceptedBy: 'Head of Platform', expires: '2026-11-20' },
    };
    // Accepted on days 0-19, open from day 20: escalated on day 28.
    expect(run(30, (n) => [n < 20 ? accepted : critical])).toEqual([[28, critical.id, 8]]);
  });

  it('a finding fixed and back starts its clock again, and can be escalated again', () => {
    // Open days 0-9 (escalated on 8), fixed on 10-11, back from 12: escalated again on 20.
    expect(run(22, (n) => (n === 10 || n === 11 ? [] : [critical]))).toEqual([
      [8, critical.id, 8],
      [20, critical.id, 8],
    ]);
  });
});

describe('escalation: what it remembers survives the state file', () => {
  it('openSince and escalatedAt are read back, so an escalation is not told again after a save and a load', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { FileLifecycleStore } = await import('../../../lambdas/adapters/file-lifecycle-store');
    const dir = mkdtempSync(join(tmpdir(), 'escalation-state-'));
    try {
      const store = new FileLifecycleStore(join(dir, 'state.json'));
      const state: FindingState = {
        id: critical.id,
        accountId: critical.accountId,
        check: critical.check,
        owner: 'press-office',
        title: critical.title,
        severity: 'critical',
        status: 'open',
        firstSeen: day(0).toISOString(),
        lastSeen: day(9).toISOString(),
        openSince: day(2).toISOString(),
        escalatedAt: day(9).toISOString(),
      };
      await store.save('breach-exposure', { findings: [state], passwords: [], identities: [] });
      const [loaded] = (await store.load('breach-exposure')).findings;
      expect(loaded).toMatchObject({ openSince: state.openSince, escalatedAt: state.escalatedAt });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
