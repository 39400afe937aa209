import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { errorName } from '../../core/error-name';
import type { FindingState } from '../../core/lifecycle/lifecycle-state';
import type { NotificationChannel } from '../../core/notification/owner-notices';
import type { Report } from '../../core/report/report';
import { type AsffFinding, type AsffTarget, archivedAsffFinding, asffFinding } from './asff';
import { securityHubSdk } from './sdk';

/** BatchImportFindings takes at most 100 findings a call. */
export const MAX_FINDINGS_PER_IMPORT = 100;

/** Why an import did not (wholly) happen, for the log and the metric: never a finding's content. */
export interface SecurityHubProblem {
  /** `not-enabled` (Security Hub is off in this account and region), `rejected` (findings it refused), `failed`. */
  readonly kind: 'not-enabled' | 'rejected' | 'failed';
  readonly findings: number;
  readonly reason: string;
}

export interface SecurityHubChannelOptions extends AsffTarget {
  readonly client: Pick<SecurityHubClient, 'send'>;
  /** Told of every import that did not wholly succeed; the run goes on (the owners' notices are not lost). */
  readonly onProblem: (problem: SecurityHubProblem) => void;
}

/**
 * The estate's findings in AWS Security Hub (CSPM), where a security team triages: every current finding imported
 * each run (the same problem keeps its finding, `UpdatedAt` moves), each one the lifecycle resolved archived, in
 * batches of 100. A failed import is reported (`onProblem`) and never fails the run: the owners have been told by
 * then, and Security Hub catches up on the next run, which imports everything again.
 */
export class SecurityHubChannel implements NotificationChannel {
  constructor(private readonly options: SecurityHubChannelOptions) {}

  async deliver({
    report,
    family,
    resolved = [],
    firstSeen,
  }: {
    readonly report: Report;
    readonly family: string;
    readonly resolved?: readonly FindingState[];
    readonly firstSeen?: ReadonlyMap<string, string>;
  }): Promise<{ readonly messages: number }> {
    const context = { ...this.options, family, now: new Date(report.generatedAt), ...(firstSeen && { firstSeen }) };
    const accounts = new Map(report.accounts.map((account) => [account.id, account]));
    const findings: AsffFinding[] = [
      ...report.findings.map((found) => asffFinding(found, accounts.get(found.accountId), context)),
      ...resolved.map((state) => archivedAsffFinding(state, accounts.get(state.accountId)?.resource, context)),
    ];
    const { BatchImportFindingsCommand } = securityHubSdk();
    for (let start = 0; start < findings.length; start += MAX_FINDINGS_PER_IMPORT) {
      const batch = findings.slice(start, start + MAX_FINDINGS_PER_IMPORT);
      try {
        const answer = await this.options.client.send(
          new BatchImportFindingsCommand({ Findings: batch as unknown as AwsSecurityFinding[] }),
        );
        const failed = answer.FailedCount ?? answer.FailedFindings?.length ?? 0;
        if (failed > 0) {
          const codes = [...new Set((answer.FailedFindings ?? []).map((each) => each.ErrorCode ?? 'unknown'))];
          // Security Hub off (or the default product not enabled) shows as InvalidAccess on each finding.
          if (codes.includes('InvalidAccess')) {
            this.notEnabled(findings.length - start, 'InvalidAccess');
            break;
          }
          this.options.onProblem({ kind: 'rejected', findings: failed, reason: `refused: ${codes.join(', ')}` });
        }
      } catch (error) {
        const name = errorName(error);
        // InvalidAccessException: "Account … is not subscribed to AWS Security Hub". Every batch would say the same.
        if (name === 'InvalidAccessException') {
          this.notEnabled(findings.length - start, name);
          break;
        }
        this.options.onProblem({ kind: 'failed', findings: batch.length, reason: name });
      }
    }
    // Nothing here is a message to an owner.
    return { messages: 0 };
  }

  private notEnabled(findings: number, code: string): void {
    this.options.onProblem({
      kind: 'not-enabled',
      findings,
      reason: `Security Hub is not enabled in account ${this.options.awsAccountId}, region ${this.options.region} (${code}): enable it, or set securityHub.enabled to false in cdk.json`,
    });
  }
}
