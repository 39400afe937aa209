import type { Finding } from '../finding';
import { type LifecycleSummary, untrackedLifecycle } from '../lifecycle/reconcile';
import type { AccountResult, IdentityCoverage, MfaEvidence, ScanResult } from '../scan';
import { SEVERITIES, type Severity } from '../severity';

export const REPORT_FORMATS = ['table', 'json', 'markdown'] as const;

export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report document (`--format json`); its shape is documented in the README and versioned by `schemaVersion`. */
export interface Report {
  /** 2: reused-password evidence names its group and at most 10 others (`reuseGroups` lists each group once), and a
   * check's outcome may be `pending`. */
  readonly schemaVersion: 2;
  readonly generatedAt: string;
  readonly summary: {
    readonly accounts: number;
    readonly findings: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly byStatus: Readonly<Record<AccountResult['status'], number>>;
    /** Accounts by the strength of their MFA evidence, when the mfa check ran. */
    readonly byMfaEvidence?: Readonly<Partial<Record<MfaEvidence, number>>>;
  };
  readonly accounts: readonly AccountResult[];
  readonly findings: readonly Finding[];
  /** What changed since the last run; without kept state every finding is `new`. */
  readonly lifecycle: LifecycleSummary;
  /** When the email addresses were checked against the identity breach source: how much of them this run covered. */
  readonly identityCoverage?: IdentityCoverage;
  /** Each group of accounts that share one password, by the group id its reused-password findings name. */
  readonly reuseGroups?: Readonly<Record<string, readonly string[]>>;
}

export function buildReport(
  result: Pick<ScanResult, 'accounts' | 'findings' | 'identityCoverage'> & Partial<Pick<ScanResult, 'reuseGroups'>>,
  generatedAt: Date,
  lifecycle: LifecycleSummary = untrackedLifecycle(result.findings),
): Report {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const found of result.findings) bySeverity[found.severity] += 1;
  const byStatus: Record<AccountResult['status'], number> = { 'at-risk': 0, incomplete: 0, invalid: 0, ok: 0 };
  for (const account of result.accounts) byStatus[account.status] += 1;
  const byMfaEvidence: Partial<Record<MfaEvidence, number>> = {};
  for (const { mfaEvidence } of result.accounts) {
    if (mfaEvidence !== undefined) byMfaEvidence[mfaEvidence] = (byMfaEvidence[mfaEvidence] ?? 0) + 1;
  }
  return {
    schemaVersion: 2,
    generatedAt: generatedAt.toISOString(),
    summary: {
      accounts: result.accounts.length,
      findings: result.findings.length,
      bySeverity,
      byStatus,
      ...(Object.keys(byMfaEvidence).length > 0 && { byMfaEvidence }),
    },
    accounts: result.accounts,
    findings: result.findings,
    lifecycle,
    ...(result.identityCoverage && { identityCoverage: result.identityCoverage }),
    ...(result.reuseGroups !== undefined &&
      result.reuseGroups.length > 0 && {
        reuseGroups: Object.fromEntries(result.reuseGroups.map((group) => [group.id, group.members])),
      }),
  };
}

/** `8 accounts (5 at risk, 1 invalid, 2 ok); 14 findings: 3 critical, 6 high, 4 medium, 1 low` */
export function summaryLine(report: Report): string {
  const { accounts, findings, bySeverity, byStatus } = report.summary;
  const statuses = (['at-risk', 'incomplete', 'invalid', 'ok'] as const)
    .filter((status) => byStatus[status] > 0)
    .map((status) => `${byStatus[status]} ${status.replace('-', ' ')}`);
  const severities = SEVERITIES.filter((severity) => bySeverity[severity] > 0).map(
    (severity) => `${bySeverity[severity]} ${severity}`,
  );
  const accountPart = `${accounts} account${accounts === 1 ? '' : 's'}${statuses.length ? ` (${statuses.join(', ')})` : ''}`;
  const findingPart =
    findings === 0 ? 'no findings' : `${findings} finding${findings === 1 ? '' : 's'}: ${severities.join(', ')}`;
  const { tracked, resolved, ...changes } = report.lifecycle;
  const changePart = Object.entries(changes)
    .filter(([change, ids]) => ids.length > 0 && change !== 'unchanged')
    .map(([change, ids]) => `${ids.length} ${change}`);
  if (resolved.length > 0) changePart.push(`${resolved.length} fixed`);
  const since = tracked && changePart.length > 0 ? `; since the last run: ${changePart.join(', ')}` : '';
  return `${accountPart}; ${findingPart}${since}`;
}

const CHANGE_LABELS = { new: 'NEW', worsened: 'WORSE', reminded: 'REMINDER', unchanged: '-' } as const;

/**
 * `NEW`, `WORSE`, `REMINDER` or `-` for each finding of a report whose lifecycle is tracked: one map for the report,
 * not a search of every list per finding (which at 150,000 findings would be billions of comparisons).
 */
export function changeLabels(report: Report): (id: string) => string {
  const labels = new Map<string, string>();
  for (const change of ['unchanged', 'reminded', 'worsened', 'new'] as const) {
    for (const id of report.lifecycle[change]) labels.set(id, CHANGE_LABELS[change]);
  }
  return (id) => labels.get(id) ?? '-';
}
