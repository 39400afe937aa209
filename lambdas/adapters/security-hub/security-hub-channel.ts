import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { errorName } from '../../core/error-name';
import type { Finding } from '../../core/finding';
import type { FindingState } from '../../core/lifecycle/lifecycle-state';
import type { ChannelDelivery, NotificationChannel } from '../../core/notification/owner-notices';
import type { Report } from '../../core/report/report';
import { type AsffFinding, type AsffTarget, archivedAsffFinding, asffFinding, asffId, rootFindingsOf } from './asff';
import { securityHubSdk } from './sdk';

/** BatchImportFindings takes at most 100 findings a call. */
export const MAX_FINDINGS_PER_IMPORT = 100;
/** What Security Hub refuses of a batch is sent once more in the same run. */
const IMPORT_ATTEMPTS = 2;

/** Why an import did not (wholly) happen, for the log and the metric: never a finding's content. */
export interface SecurityHubProblem {
  /** `not-enabled` (Security Hub is off in this account and region), `rejected` (findings it refused), `failed`. */
  readonly kind: 'not-enabled' | 'rejected' | 'failed';
  readonly findings: number;
  readonly reason: string;
}

export interface SecurityHubChannelOptions extends AsffTarget {
  readonly client: Pick<SecurityHubClient, 'send'>;
  /**
   * Where the monitor reads member accounts: a client in a member's account, with its read role session. A member's
   * findings are imported there, under its own default product (Security Hub takes a finding only from the account
   * it names); the rest in this account.
   */
  readonly memberClient?: (account: string) => Promise<Pick<SecurityHubClient, 'send'>>;
  /** Told of every import that did not wholly succeed; the run goes on (the owners' notices are not lost). */
  readonly onProblem: (problem: SecurityHubProblem) => void;
}

/**
 * The estate's findings in AWS Security Hub (CSPM), where a security team triages: every current finding imported
 * each run (the same problem keeps its finding, `UpdatedAt` moves), each one the lifecycle resolved archived, in
 * batches of 100. What Security Hub refuses in a batch is sent once more; a failed import is reported (`onProblem`)
 * and never fails the run: the owners have been told by then. A current finding is imported again on the next run
 * anyway; an archived one is imported once, so the closings that still failed are returned as owed, and the run keeps
 * offering them until Security Hub takes them.
 */
export class SecurityHubChannel implements NotificationChannel {
  readonly id = 'security-hub';
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
  }): Promise<ChannelDelivery> {
    const accounts = new Map(report.accounts.map((account) => [account.id, account]));
    const relatedOf = rootFindingsOf(report);
    // By the AWS account each finding is imported in: its login's member where members are read, else this one.
    const own = this.options.awsAccountId;
    const awsAccountOf = (loginId: string): string => {
      if (this.options.memberClient === undefined) return own;
      const keptIn = accounts.get(loginId)?.keptIn;
      // A member that could not be read (its line is the member itself) is the monitor's finding: imported here.
      if (keptIn !== undefined) return keptIn === loginId ? own : keptIn;
      // A login no longer in the report (a fixed finding of a deleted secret): its id begins with its member's.
      return /^\d{12}\//.test(loginId) ? loginId.slice(0, 12) : own;
    };
    const byAccount = new Map<string, { findings: Finding[]; resolved: FindingState[] }>();
    const groupOf = (account: string) => {
      let group = byAccount.get(account);
      if (group === undefined) {
        group = { findings: [], resolved: [] };
        byAccount.set(account, group);
      }
      return group;
    };
    for (const found of report.findings) groupOf(awsAccountOf(found.accountId)).findings.push(found);
    for (const state of resolved) groupOf(awsAccountOf(state.accountId)).resolved.push(state);
    // The closings, by the Id Security Hub knows them by: what is not imported of them is owed.
    const closing = new Map(resolved.map((state) => [asffId(family, state.id), state.id]));
    const notImported = new Set<string>();
    for (const [awsAccountId, group] of byAccount) {
      const context = {
        ...this.options,
        awsAccountId,
        family,
        now: new Date(report.generatedAt),
        ...(firstSeen && { firstSeen }),
      };
      const findings: AsffFinding[] = [
        ...group.findings.map((found) => asffFinding(found, accounts.get(found.accountId), context, relatedOf(found))),
        ...group.resolved.map((state) => archivedAsffFinding(state, accounts.get(state.accountId)?.resource, context)),
      ];
      const client = await this.clientIn(awsAccountId, findings.length);
      if (client === undefined) {
        for (const finding of findings) notImported.add(finding.Id);
        continue;
      }
      for (let start = 0; start < findings.length; start += MAX_FINDINGS_PER_IMPORT) {
        const batch = findings.slice(start, start + MAX_FINDINGS_PER_IMPORT);
        const outcome = await this.importBatch(client, batch);
        if (outcome.kind === 'not-enabled') {
          this.notEnabled(awsAccountId, findings.length - start, outcome.code);
          for (const finding of findings.slice(start)) notImported.add(finding.Id);
          break;
        }
        for (const id of outcome.failed) notImported.add(id);
      }
    }
    const owed = [...notImported].flatMap((id) => {
      const findingId = closing.get(id);
      return findingId === undefined ? [] : [findingId];
    });
    // Nothing here is a message to an owner.
    return { messages: 0, ...(owed.length > 0 && { owed }) };
  }

  /**
   * One batch, and what Security Hub refused of it sent once more (its own retries have already met throttling):
   * the Ids still not imported, or that Security Hub is not enabled here.
   */
  /** The client that imports in an account: this one's, or a member's session (undefined, and said, if refused). */
  private async clientIn(awsAccountId: string, findings: number): Promise<Pick<SecurityHubClient, 'send'> | undefined> {
    if (awsAccountId === this.options.awsAccountId || this.options.memberClient === undefined)
      return this.options.client;
    try {
      return await this.options.memberClient(awsAccountId);
    } catch (error) {
      this.options.onProblem({
        kind: 'failed',
        findings,
        reason: `no session in account ${awsAccountId} to import its findings (${errorName(error)})`,
      });
      return undefined;
    }
  }

  private async importBatch(
    client: Pick<SecurityHubClient, 'send'>,
    batch: readonly AsffFinding[],
  ): Promise<
    | { readonly kind: 'imported'; readonly failed: readonly string[] }
    | { readonly kind: 'not-enabled'; readonly code: string }
  > {
    const { BatchImportFindingsCommand } = securityHubSdk();
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      let failedIds: string[];
      let reason: { kind: 'rejected' | 'failed'; text: string };
      try {
        const answer = await client.send(
          new BatchImportFindingsCommand({ Findings: pending as unknown as AwsSecurityFinding[] }),
        );
        const failed = answer.FailedFindings ?? [];
        const count = answer.FailedCount ?? failed.length;
        if (count === 0) return { kind: 'imported', failed: [] };
        const codes = [...new Set(failed.map((each) => each.ErrorCode ?? 'unknown'))];
        // Security Hub off (or the default product not enabled) shows as InvalidAccess on each finding.
        if (codes.includes('InvalidAccess')) return { kind: 'not-enabled', code: 'InvalidAccess' };
        // A count without the list (never documented, but possible) fails the whole batch: nothing is assumed taken.
        failedIds = failed.length > 0 ? failed.flatMap((each) => (each.Id ? [each.Id] : [])) : pending.map((f) => f.Id);
        reason = { kind: 'rejected', text: `refused: ${codes.join(', ')}` };
      } catch (error) {
        const name = errorName(error);
        // InvalidAccessException: "Account … is not subscribed to AWS Security Hub". Every batch would say the same.
        if (name === 'InvalidAccessException') return { kind: 'not-enabled', code: name };
        failedIds = pending.map((finding) => finding.Id);
        reason = { kind: 'failed', text: name };
      }
      if (attempt === IMPORT_ATTEMPTS) {
        this.options.onProblem({ kind: reason.kind, findings: failedIds.length, reason: reason.text });
        return { kind: 'imported', failed: failedIds };
      }
      const again = new Set(failedIds);
      pending = pending.filter((finding) => again.has(finding.Id));
    }
  }

  private notEnabled(awsAccountId: string, findings: number, code: string): void {
    this.options.onProblem({
      kind: 'not-enabled',
      findings,
      reason: `Security Hub is not enabled in account ${awsAccountId}, region ${this.options.region} (${code}): enable it, or set securityHub.enabled to false in cdk.json`,
    });
  }
}
