import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLifecycleStore } from '../../lambdas/adapters/file-lifecycle-store';
import { passwordAgeCheck } from '../../lambdas/core/checks/password-age';
import { reusedPasswordCheck } from '../../lambdas/core/checks/reused-password';
import { type InventoryEntry, memberLoginId } from '../../lambdas/core/inventory';
import { DEFAULT_POLICY } from '../../lambdas/core/policy';
import { formatReport } from '../../lambdas/core/report/format-report';
import type { MembersSummary } from '../../lambdas/core/report/report';
import { type CheckRunDependencies, runChecks } from '../../lambdas/shared/check-run';

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T06:00:00Z');
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event' };

/** A login kept in a member, as a member-aware inventory gives it: its id headed by the member's. */
function memberLogin(member: string, name: string, password: string, changedDaysAgo: number): InventoryEntry {
  const id = memberLoginId(member, name);
  return {
    ref: id,
    value: {
      id,
      platform: 'x.com',
      owner: 'press',
      password,
      passwordChangedAt: new Date(T0 - changedDaysAgo * DAY).toISOString(),
    },
    facts: { keptIn: member },
  };
}

const unreadable = (member: string): InventoryEntry => ({
  ref: `AWS account ${member}`,
  value: { id: member },
  facts: { keptIn: member },
  unreadableMember: 'the read role could not be assumed (AccessDenied)',
});

describe('a run over an estate with members (the accounts of an organisation)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'credential-hygiene-members-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function world() {
    let now = T0;
    let entries: InventoryEntry[] = [];
    let members: MembersSummary | undefined;
    const deps: CheckRunDependencies = {
      family: 'breach-exposure',
      checks: [passwordAgeCheck, reusedPasswordCheck],
      inventory: { load: async () => entries, members: () => members },
      channels: [],
      policy: DEFAULT_POLICY,
      clock: () => new Date(now),
      fingerprintKey: async () => Buffer.alloc(32, 7),
      log: { info: () => {}, warn: () => {} },
      metrics: { record: () => {} },
      lifecycle: { store: new FileLifecycleStore(join(dir, 'state.json')), passwords: 'record' },
    };
    return {
      set(next: InventoryEntry[], summary?: MembersSummary) {
        entries = next;
        members = summary;
      },
      at(days: number) {
        now = T0 + days * DAY;
      },
      run: () => runChecks(deps, SCHEDULED),
    };
  }

  it('two members holding a secret of one name are two logins, and a password shared across them is one reuse group', async () => {
    const estate = world();
    estate.set([
      memberLogin('111111111111', 'press/x', 'Shared-across-2-accounts!', 10),
      memberLogin('222222222222', 'press/x', 'Shared-across-2-accounts!', 10),
    ]);
    const report = await estate.run();
    expect(report.accounts.map((account) => [account.id, account.keptIn])).toEqual([
      ['111111111111/press/x', '111111111111'],
      ['222222222222/press/x', '222222222222'],
    ]);
    expect(Object.values(report.reuseGroups ?? {})).toEqual([['111111111111/press/x', '222222222222/press/x']]);
    expect(new Set(report.findings.map((found) => found.id)).size).toBe(report.findings.length);
  });

  it('a member that could not be read is one check-error naming it, its logins unchecked: their findings stay open, not fixed', async () => {
    const estate = world();
    const summary = (failed: boolean): MembersSummary => ({
      scanned: [
        { id: '111111111111', name: 'press', logins: 1 },
        ...(failed ? [] : [{ id: '222222222222', name: 'recruitment', logins: 1 }]),
      ],
      skipped: [{ id: '333333333333', name: 'old-team', why: 'suspended' }],
      failed: failed ? [{ id: '222222222222', name: 'recruitment', reason: 'the read role could not be assumed' }] : [],
    });
    estate.set(
      [
        memberLogin('111111111111', 'press/x', 'a-fresh-one-1', 10),
        memberLogin('222222222222', 'jobs/x', 'a-stale-one-2', 400),
      ],
      summary(false),
    );
    const first = await estate.run();
    const stale = '222222222222/jobs/x#password-age:too-old';
    expect(first.findings.map((found) => found.id)).toContain(stale);

    estate.at(1);
    estate.set(
      [memberLogin('111111111111', 'press/x', 'a-fresh-one-1', 10), unreadable('222222222222')],
      summary(true),
    );
    const second = await estate.run();
    expect(second.lifecycle.resolved).toEqual([]);
    expect(second.lifecycle.unconfirmed).toEqual([stale]);
    const error = second.findings.find((found) => found.id === '222222222222#check-error:member');
    expect(error).toMatchObject({ check: 'check-error', severity: 'high', accountId: '222222222222' });
    expect(error?.detail).toMatch(/AccessDenied/);
    expect(second.accounts.find((account) => account.id === '222222222222')).toMatchObject({ status: 'invalid' });
    expect(second.summary.unchecked).toBe(1);
    expect(second.members).toEqual(summary(true));
    const table = formatReport(second, 'table');
    expect(table).toContain('Member accounts:');
    expect(table).toContain('Could not be read: 222222222222 (recruitment): the read role could not be assumed');
    expect(table).toContain('Skipped: 333333333333 (old-team): suspended');

    // Readable again: the member's error is fixed, and its login's finding was never closed.
    estate.at(2);
    estate.set(
      [
        memberLogin('111111111111', 'press/x', 'a-fresh-one-1', 10),
        memberLogin('222222222222', 'jobs/x', 'a-stale-one-2', 400),
      ],
      summary(false),
    );
    const third = await estate.run();
    expect(third.lifecycle.resolved).toEqual(['222222222222#check-error:member']);
    expect(third.lifecycle.new).not.toContain(stale);
  });

  it('a password shared with a member that could not be read is still reused: the comparison is pending there, not passed', async () => {
    const estate = world();
    const press = memberLogin('111111111111', 'press/x', 'Shared-across-2-accounts!', 10);
    estate.set([press, memberLogin('222222222222', 'jobs/x', 'Shared-across-2-accounts!', 10)]);
    const reused = '111111111111/press/x#reused-password:reused';
    expect((await estate.run()).findings.map((found) => found.id)).toContain(reused);
    estate.at(1);
    estate.set([press, unreadable('222222222222')]);
    const second = await estate.run();
    expect(second.lifecycle.resolved).toEqual([]);
    expect(second.accounts.find((account) => account.id === '111111111111/press/x')?.checks['reused-password']).toBe(
      'pending',
    );
  });
});
