import type { Check } from '../core/check';
import type { BreachRangeSource, PasswordStrengthEstimator } from '../core/evidence-sources';
import type { InventoryEntry } from '../core/inventory';
import { type OwnerDigest, ownerDigests } from '../core/notification/owner-digest';
import type { Policy } from '../core/policy';
import { buildReport, type Report } from '../core/report/report';
import { scan } from '../core/scan';
import { type Invocation, parseInvocation } from './invocation';

/** A synchronous invoke's response may be at most 6 MB; past this the per-account list is left out (and says so). */
const MAX_RESPONSE_BYTES = 5_500_000;

export interface RunLog {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

export interface RunMetrics {
  record(report: Report, invocation: Invocation): void;
}

/** Everything a scheduled function needs, wired by its handler. */
export interface CheckRunDependencies {
  /** `password-age`, `breach-exposure`, `mfa-status`: the run's name in messages and metrics. */
  readonly family: string;
  readonly checks: readonly Check[];
  readonly inventory: { load(secretIds?: readonly string[]): Promise<InventoryEntry[]> };
  readonly publisher: {
    publish(digests: readonly OwnerDigest[], run: string): Promise<{ readonly published: number }>;
  };
  readonly policy: Policy;
  readonly breachSource?: BreachRangeSource;
  readonly strengthEstimator?: PasswordStrengthEstimator;
  readonly clock: () => Date;
  readonly fingerprintKey: () => Uint8Array;
  readonly log: RunLog;
  readonly metrics: RunMetrics;
}

export type CheckRunResponse = Report & {
  readonly delivery: { readonly dryRun: boolean; readonly messages: number; readonly owners: number };
  readonly omitted?: { readonly accounts: number; readonly reason: string };
};

/**
 * One run of a check family: parse the event, load the monitored secrets, scan, publish one digest per owner
 * (unless a dry run), record metrics, and return the report. A publish failure propagates, so the invoke fails.
 */
export async function runChecks(deps: CheckRunDependencies, event: unknown): Promise<CheckRunResponse> {
  const invocation = parseInvocation(event);
  const dryRun = invocation.kind === 'manual' && invocation.dryRun;
  const secretIds = invocation.kind === 'manual' ? invocation.secretIds : undefined;
  deps.log.info('check run started', { family: deps.family, invocation: invocation.kind, dryRun, secretIds });
  const entries = await deps.inventory.load(secretIds);
  const now = deps.clock();
  const result = await scan({
    entries,
    checks: deps.checks,
    now,
    policy: deps.policy,
    fingerprintKey: deps.fingerprintKey(),
    ...(deps.breachSource && { breachSource: deps.breachSource }),
    ...(deps.strengthEstimator && { strengthEstimator: deps.strengthEstimator }),
  });
  const report = buildReport(result, now);
  const digests = ownerDigests(report, { run: deps.family });
  deps.log.info('check run scanned', { family: deps.family, summary: report.summary, digests: digests.length });
  const { published } = dryRun ? { published: 0 } : await deps.publisher.publish(digests, deps.family);
  deps.metrics.record(report, invocation);
  deps.log.info('check run finished', { family: deps.family, published, dryRun });
  return fitResponse({
    ...report,
    delivery: { dryRun, messages: published, owners: new Set(digests.map((digest) => digest.owner)).size },
  });
}

function fitResponse(response: CheckRunResponse): CheckRunResponse {
  if (Buffer.byteLength(JSON.stringify(response)) <= MAX_RESPONSE_BYTES) return response;
  return {
    ...response,
    accounts: [],
    omitted: {
      accounts: response.accounts.length,
      reason: 'the per-account list does not fit a Lambda response; scan fewer secrets (secretIds) to see it',
    },
  };
}
