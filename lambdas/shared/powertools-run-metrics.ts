import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Report } from '../core/report/report';
import type { RunMetrics } from './check-run';
import type { Invocation } from './invocation';

export const METRICS_NAMESPACE = 'CredentialHygiene';
/** Emitted once per scheduled run that finished and published: the watchdog alarm's heartbeat. */
export const SCHEDULED_RUN_SUCCEEDED = 'ScheduledRunSucceeded';

/**
 * CloudWatch metrics through Powertools (EMF): findings that need attention by check and severity, accepted findings
 * (counted apart, as the report counts them), accounts checked, the heartbeat.
 */
export class PowertoolsRunMetrics implements RunMetrics {
  constructor(private readonly metrics: Metrics) {}

  static forFamily(family: string): PowertoolsRunMetrics {
    return new PowertoolsRunMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: family }));
  }

  record(report: Report, invocation: Invocation): void {
    const counts = new Map<string, number>();
    for (const found of report.findings) {
      if (found.accepted !== undefined) continue;
      const key = `${found.check}\u0000${found.severity}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, count] of counts) {
      const [check, severity] = key.split('\u0000') as [string, string];
      const single = this.metrics.singleMetric();
      single.addDimension('check', check);
      single.addDimension('severity', severity);
      single.addMetric('Findings', MetricUnit.Count, count);
    }
    this.metrics.addMetric('AccountsChecked', MetricUnit.Count, report.summary.accounts);
    this.metrics.addMetric('AcceptedFindings', MetricUnit.Count, report.summary.accepted);
    if (invocation.kind === 'scheduled') this.metrics.addMetric(SCHEDULED_RUN_SUCCEEDED, MetricUnit.Count, 1);
    this.metrics.publishStoredMetrics();
  }

  /** An import into Security Hub that did not wholly happen (`SecurityHubImportProblems`, by kind): alarmable. */
  recordSecurityHubProblem(kind: string, findings: number): void {
    const single = this.metrics.singleMetric();
    single.addDimension('kind', kind);
    single.addMetric('SecurityHubImportProblems', MetricUnit.Count, findings);
  }
}
