import type { Check } from '../../lambdas/core/check';
import type { Report } from '../../lambdas/core/report/report';

/**
 * The invariant every fault test checks: accounts in = accounts reported, and each account has a result for every
 * check (passed or failed) or a check-error naming the check; an unreadable one has its invalid-secret finding.
 */
export function expectEveryAccountAccounted(
  report: Pick<Report, 'accounts' | 'findings'>,
  accountIds: readonly string[],
  checks: readonly Check[],
): void {
  expect(report.accounts.map((account) => account.id).sort()).toEqual([...accountIds].sort());
  const findingIds = new Set(report.findings.map((found) => found.id));
  for (const account of report.accounts) {
    if (account.status === 'invalid') {
      expect(findingIds.has(`${account.id}#invalid-secret:invalid`)).toBe(true);
      continue;
    }
    for (const check of checks) {
      const outcome = account.checks[check.id];
      if (outcome === 'error') expect(findingIds.has(`${account.id}#check-error:${check.id}`)).toBe(true);
      else expect(['passed', 'failed']).toContain(outcome);
    }
  }
}
