import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Report } from '../core/report/report';
import { SEVERITIES } from '../core/severity';
import type { RunMetrics } from './check-run';
import type { Invocation } from './invocation';

export const METRICS_NAMESPACE = 'CredentialHygiene';
/** Emitted once per scheduled run that finished and published: the watchdog alarm's heartbeat. */
export const SCHEDULED_RUN_SUCCEEDED = 'ScheduledRunSucceeded';

/**
 * Every metric a run emits, by name, with the dimensions beside Powertools' `service` (the function family): the one
 * list the functions emit from and the stack's dashboard and alarms read.
 */
export const RUN_METRICS = {
  /** Findings that need attention, by check and severity. */
  findings: { name: 'Findings', dimensions: ['check', 'severity'] },
  /** The same, by severity alone (a dashboard line per severity). */
  findingsBySeverity: { name: 'FindingsBySeverity', dimensions: ['severity'] },
  /** The same, by check alone. */
  findingsByCheck: { name: 'FindingsByCheck', dimensions: ['check'] },
  /** Findings a policy exception accepts. */
  acceptedFindings: { name: 'AcceptedFindings', dimensions: [] },
  accountsChecked: { name: 'AccountsChecked', dimensions: [] },
  /** Accounts by status: at-risk, incomplete, invalid, ok. */
  accounts: { name: 'Accounts', dimensions: ['status'] },
  /** Accounts by the evidence of their second factor, when the mfa check ran: verified, vault, attested, none. */
  accountsByMfaEvidence: { name: 'AccountsByMfaEvidence', dimensions: ['evidence'] },
  /** The share of the estate's email addresses checked for breaches at least once (identity rotation), in percent. */
  identityCoverage: { name: 'IdentityCoverage', dimensions: [] },
  /** Logins whose current password someone who has left read (where the knowers check ran). */
  accountsWithLeaver: { name: 'AccountsWithLeaver', dimensions: [] },
  /** Where the monitor reads an organisation's accounts: open findings by the account that keeps the login. */
  findingsByMember: { name: 'FindingsByMember', dimensions: ['member'] },
  /** Member accounts that could not be read this run (their logins unchecked): alarmable. */
  unreadableMembers: { name: 'UnreadableMembers', dimensions: [] },
  scheduledRunSucceeded: { name: SCHEDULED_RUN_SUCCEEDED, dimensions: [] },
} as const;

/**
 * CloudWatch metrics through Powertools (EMF): findings that need attention by check and severity (accepted ones
 * apart, as the report counts them), accounts by status and MFA evidence, identity coverage, the heartbeat.
 */
export class PowertoolsRunMetrics implements RunMetrics {
  constructor(private readonly metrics: Metrics) {}

  static forFamily(family: string): PowertoolsRunMetrics {
    return new PowertoolsRunMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: family }));
  }

  record(report: Report, invocation: Invocation): void {
    const counts = new Map<string, number>();
    const byCheck = new Map<string, number>();
    for (const found of report.findings) {
      if (found.accepted !== undefined) continue;
      const key = `${found.check}\u0000${found.severity}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      byCheck.set(found.check, (byCheck.get(found.check) ?? 0) + 1);
    }
    for (const [key, count] of counts) {
      const [check, severity] = key.split('\u0000') as [string, string];
      this.single(RUN_METRICS.findings.name, count, { check, severity });
    }
    // Zeros too: a line that drops to nothing is the point of a graph over time.
    for (const severity of SEVERITIES) {
      this.single(RUN_METRICS.findingsBySeverity.name, report.summary.bySeverity[severity], { severity });
    }
    for (const [check, count] of byCheck) this.single(RUN_METRICS.findingsByCheck.name, count, { check });
    for (const [status, count] of Object.entries(report.summary.byStatus)) {
      this.single(RUN_METRICS.accounts.name, count, { status });
    }
    for (const [evidence, count] of Object.entries(report.summary.byMfaEvidence ?? {})) {
      this.single(RUN_METRICS.accountsByMfaEvidence.name, count, { evidence });
    }
    const coverage = report.identityCoverage;
    if (coverage !== undefined && coverage.identities > 0) {
      const covered = ((coverage.identities - coverage.notYetChecked) / coverage.identities) * 100;
      this.metrics.addMetric(RUN_METRICS.identityCoverage.name, MetricUnit.Percent, covered);
    }
    const knowing = report.accounts.filter((account) => account.knowers !== undefined);
    if (knowing.length > 0) {
      const withLeaver = knowing.filter((account) => (account.knowers?.left.length ?? 0) > 0).length;
      this.metrics.addMetric(RUN_METRICS.accountsWithLeaver.name, MetricUnit.Count, withLeaver);
    }
    if (report.members !== undefined) this.recordMembers(report, report.members);
    this.metrics.addMetric(RUN_METRICS.accountsChecked.name, MetricUnit.Count, report.summary.accounts);
    this.metrics.addMetric(RUN_METRICS.acceptedFindings.name, MetricUnit.Count, report.summary.accepted);
    if (invocation.kind === 'scheduled') {
      this.metrics.addMetric(RUN_METRICS.scheduledRunSucceeded.name, MetricUnit.Count, 1);
    }
    this.metrics.publishStoredMetrics();
  }

  /** Each scanned member's open findings (zeros too), and how many members could not be read. */
  private recordMembers(report: Report, members: NonNullable<Report['members']>): void {
    const keptIn = new Map(report.accounts.map((account) => [account.id, account.keptIn]));
    const byMember = new Map<string, number>(members.scanned.map((member) => [member.id, 0]));
    for (const found of report.findings) {
      const member = keptIn.get(found.accountId);
      if (found.accepted !== undefined || member === undefined || !byMember.has(member)) continue;
      byMember.set(member, (byMember.get(member) ?? 0) + 1);
    }
    for (const [member, count] of byMember) this.single(RUN_METRICS.findingsByMember.name, count, { member });
    this.metrics.addMetric(RUN_METRICS.unreadableMembers.name, MetricUnit.Count, members.failed.length);
  }

  /**
   * A delivery to an optional channel that did not wholly happen: the findings it did not take, in the channel's own
   * metric (its `problemsMetric`), by kind: alarmable.
   */
  recordChannelProblem(metricName: string, kind: string, findings: number): void {
    this.single(metricName, findings, { kind });
  }

  private single(name: string, value: number, dimensions: Readonly<Record<string, string>>): void {
    const single = this.metrics.singleMetric();
    for (const [dimension, dimensionValue] of Object.entries(dimensions))
      single.addDimension(dimension, dimensionValue);
    single.addMetric(name, MetricUnit.Count, value);
  }
}
