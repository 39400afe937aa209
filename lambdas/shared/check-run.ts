import { MFA_PROVIDER_DESCRIPTORS } from '../adapters/mfa-providers/descriptors';
import type { Check } from '../core/check';
import type {
  BreachRangeSource,
  IdentityBreachSource,
  MfaStatusSource,
  PasswordStrengthEstimator,
  SecretReadSource,
} from '../core/evidence-sources';
import { type InventoryEntry, unreadableMemberOf } from '../core/inventory';
import {
  EMPTY_STATE,
  type FindingState,
  LifecycleClockError,
  type LifecycleState,
  type LifecycleStore,
} from '../core/lifecycle/lifecycle-state';
import { reconcile, withUnconfirmed } from '../core/lifecycle/reconcile';
import { type NotificationChannel, ownerNotices } from '../core/notification/owner-notices';
import type { Policy } from '../core/policy';
import { buildReport, type MembersSummary, type Report } from '../core/report/report';
import { type ScanProgress, scan } from '../core/scan';
import type { StoreTerms } from '../core/store-terms';
import type { PasswordRecordAccess } from './function-specs';
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
  /**
   * `password-age`, `breach-exposure`, `mfa-status` (or `cli`): the function family, whose name the run goes by in
   * messages, logs and metrics (Powertools' `serviceName`, SNS's `run` attribute) and under which its lifecycle keeps
   * its own findings: a run never resolves another family's.
   */
  readonly family: string;
  readonly checks: readonly Check[];
  /**
   * Where the logins are kept, and (for advice that names it) how that store is changed; where the store has members
   * (an organisation's accounts), which the last load scanned, skipped and could not read.
   */
  readonly inventory: {
    load(secretIds?: readonly string[]): Promise<InventoryEntry[]>;
    readonly terms?: StoreTerms;
    members?(): MembersSummary | undefined;
  };
  /** How owners hear of their findings: each channel is handed the same notices (none in a dry run or the CLI). */
  readonly channels: readonly NotificationChannel[];
  readonly policy: Policy;
  readonly breachSource?: BreachRangeSource;
  readonly strengthEstimator?: PasswordStrengthEstimator;
  /** Who read the secrets, for the knowers check (opt-in). */
  readonly readSource?: SecretReadSource;
  readonly identitySource?: IdentityBreachSource;
  readonly mfaProviders?: readonly MfaStatusSource[];
  /** The owner ids with recipients configured (the stack's `owners`); an owner not among them is a finding. */
  readonly routedOwners?: ReadonlySet<string>;
  /**
   * Where a finding left open past the policy's `escalation` days is told: each owner's `escalateTo`, else
   * `escalationFallback` (the platform team on AWS); with neither, it is escalated to nobody and the report says so.
   */
  readonly escalation?: { readonly contacts: ReadonlyMap<string, string>; readonly fallback?: string };
  /** Identities looked up per run at most (the rotation); default all. */
  readonly identityBudget?: number;
  readonly clock: () => Date;
  /** The key for password fingerprints; with `lifecycle.passwords: 'record'` it must be the same on every run. */
  readonly fingerprintKey: () => Promise<Uint8Array>;
  /** Where findings are remembered between runs; without it every finding is new on every run. */
  readonly lifecycle?: {
    readonly store: LifecycleStore;
    /** `read`: age passwords by the remembered dates; `record`: also fingerprint and remember them. */
    readonly passwords: PasswordRecordAccess;
    /** Other families whose open findings the estate-phase checks judge logins by (read, never written). */
    readonly readsFindingsOf?: readonly string[];
  };
  readonly log: RunLog;
  readonly metrics: RunMetrics;
  readonly onProgress?: (progress: ScanProgress) => void;
}

export type CheckRunResponse = Report & {
  readonly delivery: { readonly dryRun: boolean; readonly messages: number; readonly owners: number };
  readonly omitted?: { readonly accounts: number; readonly reason: string };
};

/**
 * One run of a check family: parse the event, load the monitored secrets, scan, publish one digest per owner
 * (unless a dry run), record metrics, and return the report, whole (a Lambda handler fits it to the response limit with
 * `fitResponse`; the CLI writes all of it). A publish failure propagates, so the invoke fails.
 */
export async function runChecks(deps: CheckRunDependencies, event: unknown): Promise<CheckRunResponse> {
  const invocation = parseInvocation(event);
  const dryRun = invocation.kind === 'manual' && invocation.dryRun;
  const secretIds = invocation.kind === 'manual' ? invocation.secretIds : undefined;
  deps.log.info('check run started', { family: deps.family, invocation: invocation.kind, dryRun, secretIds });
  const entries = await deps.inventory.load(secretIds);
  const members = deps.inventory.members?.();
  const unreadableMembers = new Set(entries.flatMap((entry) => unreadableMemberOf(entry)?.member ?? []));
  const now = deps.clock();
  const lifecycle = deps.lifecycle;
  const withPasswords = lifecycle?.passwords !== 'none';
  const withIdentities = lifecycle?.passwords === 'record' && deps.identitySource !== undefined;
  const remembered = lifecycle
    ? await lifecycle.store.load(deps.family, { withPasswords, withIdentities })
    : EMPTY_STATE;
  if (remembered.lastRun !== undefined && now.getTime() < Date.parse(remembered.lastRun)) {
    throw new LifecycleClockError(
      `this run's time, ${now.toISOString()}, is earlier than the last run the state records, ${remembered.lastRun}: runs must move forward in time (a run in the past would undo what later ones told). For a what-if run in the past, use a copy of the state or none; if the later run was a mistake, restore the state from before it, or move it aside to start afresh`,
    );
  }
  // What the other functions know of each login (its MFA, say), for the checks that judge a login by the others.
  const knownFindings = lifecycle
    ? (
        await Promise.all(
          (lifecycle.readsFindingsOf ?? []).map((other) =>
            lifecycle.store.load(other, { withPasswords: false, withIdentities: false }),
          ),
        )
      ).flatMap((state) => state.findings.filter((each) => each.status === 'open'))
    : [];
  const result = await scan({
    entries,
    ...(knownFindings.length > 0 && { knownFindings }),
    checks: deps.checks,
    // A member that could not be read is part of the estate unseen: reuse with its logins, or a takeover path through
    // them, cannot be ruled out, so the checks that compare logins are pending there, not passed.
    wholeEstate: secretIds === undefined && unreadableMembers.size === 0,
    now,
    policy: deps.policy,
    fingerprintKey: await deps.fingerprintKey(),
    ...(lifecycle &&
      lifecycle.passwords !== 'none' && {
        passwordHistory: new Map(remembered.passwords.map((record) => [record.accountId, record])),
      }),
    ...(deps.breachSource && { breachSource: deps.breachSource }),
    ...(deps.strengthEstimator && { strengthEstimator: deps.strengthEstimator }),
    ...(deps.readSource && { readSource: deps.readSource }),
    ...(deps.identitySource && { identitySource: deps.identitySource }),
    ...(deps.mfaProviders && { mfaProviders: deps.mfaProviders }),
    mfaProviderCatalog: MFA_PROVIDER_DESCRIPTORS,
    ...(deps.routedOwners && { routedOwners: deps.routedOwners }),
    ...(deps.inventory.terms && { storeTerms: deps.inventory.terms }),
    ...(deps.identityBudget !== undefined && { identityBudget: deps.identityBudget }),
    ...(withIdentities && {
      identityHistory: new Map((remembered.identities ?? []).map((record) => [record.fingerprint, record])),
    }),
    ...(deps.onProgress && { onProgress: deps.onProgress }),
  });
  const checkedAccounts = new Map(result.accounts.map((account) => [account.id, account.owner]));
  const outcomesByAccount = new Map(result.accounts.map((account) => [account.id, account.checks]));
  const fullRun = secretIds === undefined;

  /** Reconciles with the remembered state, publishes what changed, and saves only what was delivered. */
  const deliver = async (state: LifecycleState) => {
    const outcome = lifecycle
      ? reconcile({
          previous: state.findings,
          findings: result.findings,
          checkedAccounts,
          fullRun,
          estateWideChecks: new Set(deps.checks.filter((check) => check.estateWide).map((check) => check.id)),
          now,
          reminderDays: deps.policy.reminderDays,
          escalationDays: deps.policy.escalation,
          outcomesOf: (accountId) => outcomesByAccount.get(accountId),
          evidenceLevelOf: (accountId, check) => result.evidenceLevels.get(accountId)?.[check],
          ...(unreadableMembers.size > 0 && { unreadableMembers }),
        })
      : undefined;
    const escalations = (outcome?.escalate ?? []).map(({ finding, openDays }) => {
      const owner = checkedAccounts.get(finding.accountId) ?? null;
      const to = (owner === null ? undefined : deps.escalation?.contacts.get(owner)) ?? deps.escalation?.fallback;
      return { finding, openDays, owner, to: to ?? null };
    });
    const summary =
      outcome && escalations.length > 0
        ? {
            ...outcome.summary,
            escalated: escalations.map(({ finding, openDays, owner, to }) => ({ id: finding.id, owner, to, openDays })),
          }
        : outcome?.summary;
    const report = buildReport(
      { ...withUnconfirmed(result, outcome?.unconfirmed ?? []), ...(members !== undefined && { members }) },
      now,
      summary,
    );
    const notices = ownerNotices(
      report,
      outcome && {
        changes: outcome.changes,
        resolved: outcome.resolved,
        reopened: outcome.reopened,
        ending: outcome.ending,
        escalations,
      },
    );
    deps.log.info('check run scanned', {
      family: deps.family,
      summary: report.summary,
      lifecycle: lifecycleCounts(report),
      notices: notices.length,
    });
    if (dryRun) return { report, notices, published: 0 };
    let published = 0;
    // Closings a channel could not take on an earlier run (its import failed), offered to it again until it does.
    const stillOwed = outcome
      ? state.findings.filter(
          (each) => each.status === 'resolved' && each.owedTo !== undefined && !outcome.changes.has(each.id),
        )
      : [];
    const owedBy = new Map<string, ReadonlySet<string>>();
    for (const channel of deps.channels) {
      const delivered = await channel.deliver({
        notices,
        report,
        family: deps.family,
        ...(outcome && {
          resolved: [...outcome.resolved, ...stillOwed.filter((each) => each.owedTo?.includes(channel.id))],
          firstSeen: new Map(outcome.next.map((state) => [state.id, state.firstSeen])),
        }),
      });
      published += delivered.messages;
      owedBy.set(channel.id, new Set(delivered.owed ?? []));
    }
    if (lifecycle && outcome) {
      const passwords = lifecycle.passwords === 'record' ? result.passwordRecords : [];
      const identities = withIdentities ? result.identityRecords : [];
      await lifecycle.store.save(deps.family, {
        findings: [
          ...outcome.next.map((each) => (each.status === 'resolved' ? withOwed(each, owedBy) : each)),
          ...stillOwed.map((each) => withOwed(each, owedBy)),
        ],
        passwords,
        identities,
        lastRun: now.toISOString(),
      });
    }
    return { report, notices, published };
  };

  const { report, notices, published } =
    lifecycle && !dryRun
      ? await lifecycle.store.withLock(deps.family, async () =>
          // Only this family's findings can have changed since the first load: the shared records are not read again
          // (and a function that may not read them, mfa-status, must not ask).
          deliver(await lifecycle.store.load(deps.family, { withPasswords: false, withIdentities: false })),
        )
      : await deliver(remembered);
  deps.metrics.record(report, invocation);
  deps.log.info('check run finished', { family: deps.family, published, dryRun });
  return {
    ...report,
    delivery: { dryRun, messages: published, owners: new Set(notices.map((notice) => notice.owner)).size },
  };
}

/**
 * A resolved finding with the channels that still owe its closing: those that failed it this run, and those it was
 * owed to that did not run (none is forgotten because another channel ran).
 */
function withOwed(state: FindingState, owedBy: ReadonlyMap<string, ReadonlySet<string>>): FindingState {
  const owedTo = [
    ...[...owedBy].flatMap(([channel, owed]) => (owed.has(state.id) ? [channel] : [])),
    ...(state.owedTo ?? []).filter((channel) => !owedBy.has(channel)),
  ];
  const { owedTo: _before, ...rest } = state;
  return owedTo.length > 0 ? { ...rest, owedTo } : rest;
}

function lifecycleCounts(report: Report) {
  const { tracked, ...lists } = report.lifecycle;
  return { tracked, ...Object.fromEntries(Object.entries(lists).map(([change, ids]) => [change, ids.length])) };
}

/** Leaves the per-account list out of a response too large for a synchronous invoke, and says so. */
export function fitResponse(response: CheckRunResponse, maxBytes = MAX_RESPONSE_BYTES): CheckRunResponse {
  if (jsonBytes(response) <= maxBytes) return response;
  return {
    ...response,
    accounts: [],
    omitted: {
      accounts: response.accounts.length,
      reason: 'the per-account list does not fit a Lambda response; scan fewer secrets (secretIds) to see it',
    },
  };
}

/**
 * The response's size as JSON, in bytes, measured an account at a time: built as one string it would be megabytes at
 * the end of a large scan, just when the most is held in memory.
 */
function jsonBytes(response: CheckRunResponse): number {
  const { accounts, ...rest } = response;
  let bytes = Buffer.byteLength(JSON.stringify(rest)) + ',"accounts":[]'.length + Math.max(accounts.length - 1, 0);
  for (const account of accounts) bytes += Buffer.byteLength(JSON.stringify(account));
  return bytes;
}
