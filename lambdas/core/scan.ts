import { type AccountResult, accountResult, type CheckOutcome, type MfaEvidence } from './account-result';
import type { Check, CheckContext, PasswordEvidence, ReuseGroup } from './check';
import { type CheckedAccount, CheckRunner } from './check-runner';
import { settingsOf } from './check-settings';
import { knowersSettings } from './checks/knowers';
import { parseEntries } from './entries';
import { judgeEstate } from './estate-phase';
import type {
  AccountWithPassword,
  CollectionContext,
  CollectionResult,
  EvidenceCollector,
  ScanProgress,
} from './evidence/collector';
import { defaultCollectors, type EvidenceSources } from './evidence/default-collectors';
import type { IdentityCoverage } from './evidence/identity';
import type { EvidenceLevel } from './evidence-strength';
import { ExceptionMatcher, type ExceptionOutcome } from './exceptions';
import { type CheckId, type Finding, worstFirst } from './finding';
import type { InventoryEntry } from './inventory';
import { type KnowersSummary, knowersOf, knowersSummary } from './knowers';
import type { FindingState, IdentityRecord, PasswordRecord } from './lifecycle/lifecycle-state';
import { withPasswordHistory } from './lifecycle/password-history';
import { passwordFingerprint } from './password-facts';
import { PlatformCatalog } from './platform-catalog';
import { DEFAULT_POLICY, type Policy } from './policy';
import { INVENTORY_FILE_TERMS, type StoreTerms } from './store-terms';

export type { AccountResult, CheckOutcome, IdentityCoverage, MfaEvidence, ScanProgress };

/** A scan: the entries, the checks, the clock and key, and the sources of evidence (`EvidenceSources`). */
export interface ScanRequest extends EvidenceSources {
  readonly entries: readonly InventoryEntry[];
  readonly checks: readonly Check[];
  /** The instant ages are measured against. */
  readonly now: Date;
  /**
   * Key for password fingerprints (HMAC): they find reused passwords, and with `passwordHistory` they are remembered
   * between runs, so the key must then be the same on every run. Without history a fresh random key is fine.
   */
  readonly fingerprintKey: Uint8Array;
  /** What was remembered of each account's password; given, the scan also returns updated `passwordRecords`. */
  readonly passwordHistory?: ReadonlyMap<string, PasswordRecord>;
  readonly policy?: Policy;
  readonly platforms?: PlatformCatalog;
  /** The owner ids with recipients configured; given, an owner not among them is an `ownership` finding. */
  readonly routedOwners?: ReadonlySet<string>;
  /** How the store that holds the logins is changed, for the advice that names it. Default: the inventory file's. */
  readonly storeTerms?: StoreTerms;
  /**
   * Whether the entries are the whole estate (default) or a part of it (a spot check). In a part, a check whose verdict
   * depends on the other accounts (`estateWide`: reuse) cannot pass: finding nothing there is `pending`, not `passed`.
   */
  readonly wholeEstate?: boolean;
  /**
   * What gathers the evidence the checks need. Default: the collectors made from the sources above
   * (`defaultCollectors`); a new kind of evidence is one more collector here, not an edit to the engine.
   */
  readonly collectors?: readonly EvidenceCollector[];
  /**
   * Open findings other runs keep on these accounts (another function's MFA verdicts), for the checks of the
   * `estate` phase: they judge a login by everything known of it, not only what this run looked at.
   */
  readonly knownFindings?: readonly FindingState[];
  readonly onProgress?: (progress: ScanProgress) => void;
}

export interface ScanResult {
  readonly accounts: readonly AccountResult[];
  /** Worst first. */
  readonly findings: readonly Finding[];
  /** With `passwordHistory`: the records to remember for accounts whose password was read. */
  readonly passwordRecords: readonly PasswordRecord[];
  /** The identities looked up this run, to remember for the rotation. */
  readonly identityRecords: readonly IdentityRecord[];
  /** How much of the estate's identities this run covered, when identities were checked. */
  readonly identityCoverage?: IdentityCoverage;
  /** The groups of accounts that share a password, each listed once (reused-password findings name their group). */
  readonly reuseGroups: readonly ReuseGroup[];
  /** How each of the policy's exceptions fared: in force or expired, what it accepted, whether it is stale. */
  readonly exceptions: readonly ExceptionOutcome[];
  /** By account: how strong the evidence was that the checks whose evidence varies (MFA) judged it on. */
  readonly evidenceLevels: ReadonlyMap<string, Readonly<Partial<Record<CheckId, EvidenceLevel>>>>;
}

/** Who holds the login's password, for its line of the report, where the knowers check ran on known reads. */
function knowersLine(row: CheckedAccount): KnowersSummary | undefined {
  const lookup = row.context.evidence.knowers;
  if (lookup === undefined || lookup.status !== 'known') return undefined;
  const { ignorePrincipals } = settingsOf(row.context.policy, knowersSettings);
  return knowersSummary(
    knowersOf(lookup.reads, lookup.leavers, row.account.passwordChangedAt, [...lookup.ignore, ...ignorePrincipals]),
  );
}

/** Runs the checks over an inventory. Never throws for bad entries or failing sources: those become findings. */
export async function scan(request: ScanRequest): Promise<ScanResult> {
  const policy = request.policy ?? DEFAULT_POLICY;
  const platforms = request.platforms ?? PlatformCatalog.bundled(policy.platforms);
  const history = request.passwordHistory;
  const fingerprints = new Map<string, string>();
  const records = new Map<string, PasswordRecord>();
  const mfaProviderIds = request.mfaProviderCatalog?.map((provider) => provider.id);
  const items = parseEntries(request.entries, request.now, policy, mfaProviderIds).map((item) => {
    if (!('account' in item)) return item;
    const { password, id } = item.account;
    if (password !== undefined) fingerprints.set(id, passwordFingerprint(request.fingerprintKey, password));
    if (history === undefined) return item;
    const { account, record } = withPasswordHistory(item.account, history.get(id), fingerprints.get(id));
    if (record) records.set(id, record);
    return { ...item, account };
  });
  const accounts = items.flatMap((item) => ('account' in item ? [item.account] : []));
  const withPassword = accounts.filter((account): account is AccountWithPassword => account.password !== undefined);
  const needs = new Set<string>(request.checks.flatMap((check) => check.needs ?? []));
  const resources = new Map(
    items.flatMap((item) =>
      'account' in item && item.resource !== undefined ? [[item.account.id, item.resource] as const] : [],
    ),
  );
  const context: CollectionContext = {
    accounts,
    resources,
    withPassword,
    fingerprints,
    records,
    now: request.now,
    fingerprintKey: request.fingerprintKey,
    platforms,
    ...(request.onProgress && { onProgress: request.onProgress }),
  };
  // All at once: each starts its work (requests sent, the first passwords scored) before the next begins, and the
  // CPU-bound ones yield so that the network-bound ones keep pace.
  const collectors = (request.collectors ?? defaultCollectors(request)).filter((each) => needs.has(each.need));
  const collected = await Promise.all(collectors.map((collector) => collector.collect(context)));
  const extras: { -readonly [K in keyof CollectionResult]: CollectionResult[K] } = {};
  for (const { result } of collected) Object.assign(extras, result);
  const passwordRecords = [...records.values()];

  const exceptions = new ExceptionMatcher(policy.exceptions, request.now, policy.exceptionMaxDays);
  const firstPhase = request.checks.filter((check) => check.phase !== 'estate');
  const estatePhase = request.checks.filter((check) => check.phase === 'estate');
  const runner = new CheckRunner(exceptions, policy, request.wholeEstate !== false);

  const rows: (CheckedAccount | { readonly result: AccountResult; readonly found: Finding })[] = [];
  let checked = 0;
  for (const item of items) {
    if (!('account' in item)) {
      rows.push(item);
      continue;
    }
    const { account, valueUnavailable, resource } = item;
    const gathered: Record<string, unknown> = {};
    for (const [index, collector] of collectors.entries()) {
      gathered[collector.provides] = collected[index]?.byAccount.get(account.id);
    }
    const context: CheckContext = {
      now: request.now,
      policy,
      platforms,
      evidence: gathered as PasswordEvidence,
      store: request.storeTerms ?? INVENTORY_FILE_TERMS,
      ...(request.routedOwners && { routedOwners: request.routedOwners }),
    };
    const row: CheckedAccount = {
      account,
      valueUnavailable,
      resource,
      context,
      outcomes: {},
      findings: [],
      levels: {},
    };
    runner.runOn(firstPhase, account, valueUnavailable, context, row.outcomes, row.findings, row.levels);
    rows.push(row);
    request.onProgress?.({ phase: 'checks', done: ++checked, total: accounts.length });
  }
  if (estatePhase.length > 0) {
    judgeEstate(
      rows.flatMap((row) => ('account' in row ? [row] : [])),
      estatePhase,
      request.knownFindings ?? [],
      runner,
    );
  }

  const results: AccountResult[] = [];
  const findings: Finding[] = [];
  const evidenceLevels = new Map<string, Readonly<Partial<Record<CheckId, EvidenceLevel>>>>();
  for (const row of rows) {
    if (!('account' in row)) {
      results.push(row.result);
      findings.push(row.found);
      continue;
    }
    const exposes = extras.exposes?.get(row.account.id);
    const knowers = row.outcomes.knowers === undefined ? undefined : knowersLine(row);
    results.push(accountResult(row.account, row.outcomes, row.findings, row.levels, row.resource, exposes, knowers));
    if (Object.keys(row.levels).length > 0) evidenceLevels.set(row.account.id, row.levels);
    findings.push(...row.findings);
  }
  findings.sort(worstFirst);
  return {
    accounts: results,
    findings,
    passwordRecords,
    identityRecords: extras.identityRecords ?? [],
    reuseGroups: extras.reuseGroups ?? [],
    exceptions: exceptions.outcomes(request.wholeEstate !== false),
    evidenceLevels,
    ...(extras.identityCoverage && { identityCoverage: extras.identityCoverage }),
  };
}
