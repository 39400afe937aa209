import type { Account } from './account';
import { identifyingFields, parseAccount } from './account-parser';
import type { Check, CheckContext, EstateView, PasswordEvidence, ReuseGroup } from './check';
import { CheckPendingError, CheckUnavailableError } from './check';
import { checkFindings, stampedFinding } from './check-findings';
import { CHECK_ERROR_SEVERITY, INVALID_SECRET_KINDS } from './engine-kinds';
import { errorName } from './error-name';
import type {
  AccountWithPassword,
  CollectionContext,
  CollectionResult,
  EvidenceCollector,
  ScanProgress,
} from './evidence/collector';
import { defaultCollectors, type EvidenceSources } from './evidence/default-collectors';
import type { IdentityCoverage } from './evidence/identity';
import { type EvidenceLevel, type ShownEvidenceLevel, shownEvidenceLevel } from './evidence-strength';
import { ExceptionMatcher, type ExceptionOutcome } from './exceptions';
import { type CheckId, type Finding, worstFirst } from './finding';
import type { InventoryEntry } from './inventory';
import {
  type FindingState,
  findingOfState,
  type IdentityRecord,
  type PasswordRecord,
} from './lifecycle/lifecycle-state';
import { withPasswordHistory } from './lifecycle/password-history';
import { passwordFingerprint } from './password-facts';
import { PlatformCatalog } from './platform-catalog';
import { DEFAULT_POLICY, type Policy } from './policy';
import { type Severity, worstOf } from './severity';
import { INVENTORY_FILE_TERMS, type StoreTerms } from './store-terms';

export type { IdentityCoverage, ScanProgress };

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

/**
 * `pending`: not decided this run, by design: an identity the rotation has not reached yet, or a check that compares
 * accounts (reuse) in a spot check that did not see them all. Neither passed nor failed. `accepted`: it found only
 * risks a policy exception accepts, which do not put the account at risk.
 */
export type CheckOutcome = 'passed' | 'failed' | 'error' | 'pending' | 'accepted';

export interface AccountResult {
  readonly id: string;
  readonly platform: string | null;
  readonly owner: string | null;
  /** `invalid`: could not be read; `at-risk`: has findings (not accepted ones); `incomplete`: a check could not run; `ok`. */
  readonly status: 'ok' | 'at-risk' | 'incomplete' | 'invalid';
  /** The worst of its findings that are not accepted. */
  readonly worstSeverity: Severity | null;
  readonly checks: Readonly<Partial<Record<CheckId, CheckOutcome>>>;
  /** Where the login is kept, when the inventory says: the secret's ARN. */
  readonly resource?: string;
  /**
   * Its blast radius, when any: the logins that can be taken over through it (their recovery reaches it, at any
   * depth), the nearest first, at most ten named; `exposesCount` says how many in all.
   */
  readonly exposes?: readonly string[];
  readonly exposesCount?: number;
  /**
   * How strong the evidence of a second factor is, when the mfa check reached a verdict: `verified` (the identity
   * provider said), `vault` (a working TOTP seed is held), `attested` (the owner said so), `none`.
   */
  readonly mfaEvidence?: MfaEvidence;
}

export type MfaEvidence = ShownEvidenceLevel;

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
  const context: CollectionContext = {
    accounts,
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
  /** Runs `checks` on one account, adding to its outcomes and findings. */
  const runOn = (
    checks: readonly Check[],
    account: Account,
    valueUnavailable: string | undefined,
    context: CheckContext,
    outcomes: Partial<Record<CheckId, CheckOutcome>>,
    accountFindings: Finding[],
    levels: Partial<Record<CheckId, EvidenceLevel>>,
  ) => {
    for (const check of checks) {
      try {
        if (check.needs?.includes('secret-value') && account.password === undefined) {
          throw new CheckUnavailableError(
            `the secret value could not be used: ${valueUnavailable ?? 'it was not read'}`,
          );
        }
        const found = checkFindings(check, account, context).map((each) => exceptions.accept(each));
        const unprovable = check.estateWide && request.wholeEstate === false;
        outcomes[check.id] = found.some((each) => each.accepted === undefined)
          ? 'failed'
          : found.length > 0
            ? 'accepted'
            : unprovable
              ? 'pending'
              : 'passed';
        accountFindings.push(...found);
        if (check.evidenceLevel) levels[check.id] = check.evidenceLevel(account, context);
      } catch (error) {
        if (error instanceof CheckPendingError) {
          outcomes[check.id] = 'pending';
          continue;
        }
        outcomes[check.id] = 'error';
        accountFindings.push(checkError(account.id, check.id, error, policy));
      }
    }
  };

  interface Checked {
    readonly account: Account;
    readonly valueUnavailable: string | undefined;
    readonly resource: string | undefined;
    readonly context: CheckContext;
    readonly outcomes: Partial<Record<CheckId, CheckOutcome>>;
    readonly findings: Finding[];
    readonly levels: Partial<Record<CheckId, EvidenceLevel>>;
  }
  const rows: (Checked | { readonly result: AccountResult; readonly found: Finding })[] = [];
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
    const row: Checked = { account, valueUnavailable, resource, context, outcomes: {}, findings: [], levels: {} };
    runOn(firstPhase, account, valueUnavailable, context, row.outcomes, row.findings, row.levels);
    rows.push(row);
    request.onProgress?.({ phase: 'checks', done: ++checked, total: accounts.length });
  }
  if (estatePhase.length > 0) {
    // What the first phase found on each login, with what other runs keep on it: what the estate phase judges by.
    const findingsOf = new Map<string, Finding[]>();
    const outcomesOf = new Map<string, Readonly<Partial<Record<CheckId, CheckOutcome>>>>();
    for (const row of rows) {
      if (!('account' in row)) continue;
      findingsOf.set(row.account.id, [...row.findings]);
      outcomesOf.set(row.account.id, row.outcomes);
    }
    for (const state of request.knownFindings ?? []) {
      const known = findingsOf.get(state.accountId);
      if (known) known.push(rememberedFinding(state));
      else findingsOf.set(state.accountId, [rememberedFinding(state)]);
    }
    const estate: EstateView = {
      findingsOf: (accountId) => findingsOf.get(accountId) ?? [],
      outcomesOf: (accountId) => outcomesOf.get(accountId),
    };
    // Each login's second-phase verdicts are kept apart until every login has been judged: no estate check reads
    // another's.
    const judged = rows.map((row) => {
      if (!('account' in row)) return undefined;
      const outcomes: Partial<Record<CheckId, CheckOutcome>> = {};
      const found: Finding[] = [];
      runOn(estatePhase, row.account, row.valueUnavailable, { ...row.context, estate }, outcomes, found, row.levels);
      return { outcomes, found };
    });
    for (const [index, row] of rows.entries()) {
      const verdicts = judged[index];
      if (!('account' in row) || verdicts === undefined) continue;
      Object.assign(row.outcomes, verdicts.outcomes);
      row.findings.push(...verdicts.found);
    }
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
    results.push(accountResult(row.account, row.outcomes, row.findings, row.levels, row.resource, exposes));
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

/** How many of an unreadable entry's problems its finding names; it counts the rest. */
const MAX_PROBLEMS_NAMED = 10;

type ParsedEntry =
  | { readonly account: Account; readonly valueUnavailable?: string; readonly resource?: string }
  | { readonly result: AccountResult; readonly found: Finding };

/** Entries in inventory order, each parsed into an account or reported as an invalid-secret finding. */
function parseEntries(
  entries: readonly InventoryEntry[],
  now: Date,
  policy: Policy,
  mfaProviderIds: readonly string[] | undefined,
): ParsedEntry[] {
  const items: ParsedEntry[] = [];
  const firstRefById = new Map<string, string>();
  for (const entry of entries) {
    const parsed: ReturnType<typeof parseAccount> = entry.problems?.length
      ? { ok: false, problems: entry.problems }
      : parseAccount(entry.value, now, {
          passwordRequired: entry.valueUnavailable === undefined,
          ...(mfaProviderIds && { mfaProviderIds }),
        });
    const previous = parsed.ok ? firstRefById.get(parsed.account.id) : undefined;
    if (parsed.ok && previous === undefined) {
      firstRefById.set(parsed.account.id, entry.ref);
      items.push({
        account: { ...parsed.account, ...entry.facts },
        ...(entry.valueUnavailable !== undefined && { valueUnavailable: entry.valueUnavailable }),
        ...(entry.resource !== undefined && { resource: entry.resource }),
      });
      continue;
    }
    const known = identifyingFields(entry.value);
    const allProblems = parsed.ok ? [`id: "${known.id}" is already used by ${previous}`] : parsed.problems;
    // At most a few named: an entry with ten thousand unknown fields is one finding of a bounded size, not a copy of it.
    const problems = allProblems
      .slice(0, MAX_PROBLEMS_NAMED)
      .map((problem) => withFieldSource(problem, entry.fieldSources));
    const more = allProblems.length - problems.length;
    const id = known.id !== undefined && !firstRefById.has(known.id) ? known.id : entry.ref;
    if (known.id !== undefined && !firstRefById.has(known.id)) firstRefById.set(known.id, entry.ref);
    const found = stampedFinding(
      id,
      'invalid-secret',
      {
        kind: 'invalid',
        title: `Entry cannot be read (${[...new Set(problems.map(fieldOf))].join(', ')})`,
        detail: `${entry.ref} was not checked: ${problems.join('; ')}${more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''}.`,
        remediation:
          'Fix the listed fields in the inventory entry or secret value; until then nothing about this login is checked.',
        evidence: { ref: entry.ref, problems: [...problems], ...(more > 0 && { moreProblems: more }) },
      },
      INVALID_SECRET_KINDS.invalid,
      policy,
    );
    items.push({
      found,
      result: {
        id,
        platform: known.platform ?? null,
        owner: known.owner ?? null,
        status: 'invalid',
        worstSeverity: found.severity,
        checks: { 'invalid-secret': 'failed' },
        ...(entry.resource !== undefined && { resource: entry.resource }),
      },
    });
  }
  return items;
}

/** `platform: must be…` becomes `tag credential-hygiene:platform: must be…` where the adapter says so. */
function withFieldSource(problem: string, sources: InventoryEntry['fieldSources']): string {
  const field = fieldOf(problem);
  // `mfa.methods[1]` comes from where `mfa.methods` does.
  const source = sources?.[field] ?? sources?.[field.replace(/\[\d+\]$/, '')];
  return source === undefined ? problem : `${source}${problem.slice(field.length)}`;
}

/** Problems read `field: what is wrong`; a field (a tag key) may itself hold colons, but never a colon and a space. */
function fieldOf(problem: string): string {
  const end = problem.indexOf(': ');
  return end === -1 ? problem : problem.slice(0, end);
}

/** A finding another run keeps, as the estate phase reads findings: what it is, how bad, whether it is accepted. */
function rememberedFinding(state: FindingState): Finding {
  return findingOfState(state, { detail: '', remediation: '', evidence: {} });
}

function checkError(accountId: string, checkId: CheckId, error: unknown, policy: Policy): Finding {
  const reason =
    error instanceof CheckUnavailableError ? error.message : `the check failed unexpectedly (${errorName(error)})`;
  return stampedFinding(
    accountId,
    'check-error',
    {
      kind: checkId,
      title: `The ${checkId} check could not run`,
      detail: `${reason}. This account is unchecked for ${checkId}, not passed.`,
      remediation: 'Fix the cause and scan again; until then treat this account as unchecked for this check.',
      evidence: { check: checkId, reason },
    },
    CHECK_ERROR_SEVERITY,
    policy,
  );
}

function accountResult(
  account: Account,
  checks: Partial<Record<CheckId, CheckOutcome>>,
  findings: readonly Finding[],
  levels: Readonly<Partial<Record<CheckId, EvidenceLevel>>>,
  resource: string | undefined,
  exposes: { readonly ids: readonly string[]; readonly count: number } | undefined,
): AccountResult {
  const outcomes = Object.values(checks);
  const status = outcomes.includes('failed') ? 'at-risk' : outcomes.includes('error') ? 'incomplete' : 'ok';
  const mfaEvidence = levels.mfa === undefined ? undefined : shownEvidenceLevel(levels.mfa);
  // Optional fields last: a leading spread would give every result a hidden class of its own (see passwordRecord).
  return {
    id: account.id,
    platform: account.platform,
    owner: account.owner ?? null,
    status,
    worstSeverity: worstOf(findings.flatMap((item) => (item.accepted ? [] : [item.severity]))) ?? null,
    checks,
    ...(resource !== undefined && { resource }),
    ...(mfaEvidence !== undefined && { mfaEvidence }),
    ...(exposes !== undefined && exposes.count > 0 && { exposes: exposes.ids, exposesCount: exposes.count }),
  };
}
