import { type Account, MFA_PROVIDER_NAMES, type MfaProviderId } from './account';
import { identifyingFields, parseAccount } from './account-parser';
import type {
  BreachLookup,
  Check,
  IdentityBreach,
  IdentityLookup,
  MfaProviderLookup,
  PasswordEvidence,
  ReuseGroup,
  StrengthEstimate,
} from './check';
import { CheckPendingError, CheckUnavailableError } from './check';
import { eachConcurrently } from './each-concurrently';
import { errorName } from './error-name';
import {
  BreachLookupError,
  type BreachRangeSource,
  type IdentityBreachSource,
  IdentityLookupError,
  MfaLookupError,
  type MfaProviderAnswer,
  type MfaStatusSource,
  type PasswordStrengthEstimator,
} from './evidence-sources';
import { type CheckId, type Finding, finding, kindOf } from './finding';
import type { InventoryEntry } from './inventory';
import type { IdentityRecord, PasswordRecord } from './lifecycle/lifecycle-state';
import { passwordRecord, withPasswordHistory } from './lifecycle/password-history';
import { digestOf, passwordFingerprint, sha1Split } from './password-facts';
import { PlatformCatalog } from './platform-catalog';
import { DEFAULT_POLICY, type Policy } from './policy';
import { bySeverityDescending, type Severity, worstOf } from './severity';
import { byCodeUnits } from './text-order';

export interface ScanProgress {
  readonly phase: 'breach' | 'strength' | 'checks';
  readonly done: number;
  readonly total: number;
}

export interface ScanRequest {
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
  /** Needed by checks that need `breach`; without it they report a check-error. */
  readonly breachSource?: BreachRangeSource;
  /** Needed by checks that need `strength`; without it they report a check-error. */
  readonly strengthEstimator?: PasswordStrengthEstimator;
  /** Needed by checks that need `identity` (breached identities); without it they report a check-error. */
  readonly identitySource?: IdentityBreachSource;
  /** What was found for each identity before, by its fingerprint: the rotation's memory. */
  readonly identityHistory?: ReadonlyMap<string, IdentityRecord>;
  /** Identities looked up per run at most; the rest keep what was found last time. Default: all. */
  readonly identityBudget?: number;
  /** The MFA providers configured, for checks that need `mfa-provider`. */
  readonly mfaProviders?: readonly MfaStatusSource[];
  /** The owner ids with recipients configured; given, an owner not among them is an `ownership` finding. */
  readonly routedOwners?: ReadonlySet<string>;
  readonly onProgress?: (progress: ScanProgress) => void;
}

/** `pending`: not reached yet by a rotation (breached identities), by design; neither passed nor failed. */
export type CheckOutcome = 'passed' | 'failed' | 'error' | 'pending';

export interface AccountResult {
  readonly id: string;
  readonly platform: string | null;
  readonly owner: string | null;
  /** `invalid`: could not be read; `at-risk`: has findings; `incomplete`: a check could not run; `ok`. */
  readonly status: 'ok' | 'at-risk' | 'incomplete' | 'invalid';
  readonly worstSeverity: Severity | null;
  readonly checks: Readonly<Partial<Record<CheckId, CheckOutcome>>>;
  /**
   * How strong the evidence of a second factor is, when the mfa check reached a verdict: `verified` (the identity
   * provider said), `vault` (a working TOTP seed is held), `attested` (the owner said so), `none`.
   */
  readonly mfaEvidence?: MfaEvidence;
}

export type MfaEvidence = 'verified' | 'vault' | 'attested' | 'none';

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
}

/**
 * Passwords scored between yields to the event loop (about 6 ms of zxcvbn): breach answers that arrive meanwhile are
 * read and the next requests sent at each yield, so the lookups keep pace with scoring instead of trailing it.
 */
const YIELD_EVERY = 4;

/** Runs the checks over an inventory. Never throws for bad entries or failing sources: those become findings. */
export async function scan(request: ScanRequest): Promise<ScanResult> {
  const policy = request.policy ?? DEFAULT_POLICY;
  const platforms = request.platforms ?? PlatformCatalog.bundled(policy.platforms);
  const history = request.passwordHistory;
  const fingerprints = new Map<string, string>();
  const records = new Map<string, PasswordRecord>();
  const items = parseEntries(request.entries, request.now, policy).map((item) => {
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
  const needs = new Set(request.checks.flatMap((check) => check.needs ?? []));

  const breachLookups = needs.has('breach')
    ? lookUpBreaches(withPassword, request, records)
    : Promise.resolve(undefined);
  const identityLookups = needs.has('identity') ? lookUpIdentities(accounts, request) : Promise.resolve(undefined);
  const mfaLookups = needs.has('mfa-provider')
    ? lookUpMfaProviders(accounts, request.mfaProviders ?? [], platforms)
    : Promise.resolve(undefined);
  const strengths = needs.has('strength') ? await estimateStrengths(withPassword, request, records) : undefined;
  const breaches = await breachLookups;
  const identityRun = await identityLookups;
  const identities = identityRun?.lookups;
  const mfaProviderLookups = await mfaLookups;
  const reuse = needs.has('reuse') ? groupReused(withPassword, fingerprints) : undefined;
  const passwordRecords = [...records.values()];

  const results: AccountResult[] = [];
  const findings: Finding[] = [];
  let checked = 0;
  for (const item of items) {
    if (!('account' in item)) {
      results.push(item.result);
      findings.push(item.found);
      continue;
    }
    const { account, valueUnavailable } = item;
    const evidence: PasswordEvidence = {
      breach: breaches?.get(account.id),
      strength: strengths?.get(account.id),
      identity: identities?.get(account.id),
      mfaProvider: mfaProviderLookups?.get(account.id),
      reuse: reuse?.byAccount.get(account.id),
    };
    const context = {
      now: request.now,
      policy,
      platforms,
      evidence,
      ...(request.routedOwners && { routedOwners: request.routedOwners }),
    };
    const outcomes: Partial<Record<CheckId, CheckOutcome>> = {};
    const accountFindings: Finding[] = [];
    for (const check of request.checks) {
      try {
        if (check.needs?.includes('secret-value') && account.password === undefined) {
          throw new CheckUnavailableError(
            `the secret value could not be used: ${valueUnavailable ?? 'it was not read'}`,
          );
        }
        const found = check.run(account, context).map((each) => withPolicySeverity(declared(check, each), policy));
        outcomes[check.id] = found.length > 0 ? 'failed' : 'passed';
        accountFindings.push(...found);
      } catch (error) {
        if (error instanceof CheckPendingError) {
          outcomes[check.id] = 'pending';
          continue;
        }
        outcomes[check.id] = 'error';
        accountFindings.push(checkError(account.id, check.id, error, policy));
      }
    }
    results.push(accountResult(account, outcomes, accountFindings, evidence.mfaProvider));
    findings.push(...accountFindings);
    request.onProgress?.({ phase: 'checks', done: ++checked, total: accounts.length });
  }
  findings.sort(
    (a, b) =>
      bySeverityDescending(a.severity, b.severity) || byCodeUnits(a.accountId, b.accountId) || byCodeUnits(a.id, b.id),
  );
  return {
    accounts: results,
    findings,
    passwordRecords,
    identityRecords: identityRun?.records ?? [],
    reuseGroups: reuse?.groups ?? [],
    ...(identityRun && { identityCoverage: identityRun.coverage }),
  };
}

type ParsedEntry =
  | { readonly account: Account; readonly valueUnavailable?: string }
  | { readonly result: AccountResult; readonly found: Finding };

type AccountWithPassword = Account & { readonly password: string };

/** Entries in inventory order, each parsed into an account or reported as an invalid-secret finding. */
function parseEntries(entries: readonly InventoryEntry[], now: Date, policy: Policy): ParsedEntry[] {
  const items: ParsedEntry[] = [];
  const firstRefById = new Map<string, string>();
  for (const entry of entries) {
    const parsed: ReturnType<typeof parseAccount> = entry.problems?.length
      ? { ok: false, problems: entry.problems }
      : parseAccount(entry.value, now, { passwordRequired: entry.valueUnavailable === undefined });
    const previous = parsed.ok ? firstRefById.get(parsed.account.id) : undefined;
    if (parsed.ok && previous === undefined) {
      firstRefById.set(parsed.account.id, entry.ref);
      items.push({
        account: { ...parsed.account, ...entry.facts },
        ...(entry.valueUnavailable !== undefined && { valueUnavailable: entry.valueUnavailable }),
      });
      continue;
    }
    const known = identifyingFields(entry.value);
    const problems = (parsed.ok ? [`id: "${known.id}" is already used by ${previous}`] : parsed.problems).map(
      (problem) => withFieldSource(problem, entry.fieldSources),
    );
    const id = known.id !== undefined && !firstRefById.has(known.id) ? known.id : entry.ref;
    if (known.id !== undefined && !firstRefById.has(known.id)) firstRefById.set(known.id, entry.ref);
    const found = withPolicySeverity(
      finding({
        accountId: id,
        check: 'invalid-secret',
        kind: 'invalid',
        severity: 'high',
        title: `Entry cannot be read (${[...new Set(problems.map(fieldOf))].join(', ')})`,
        detail: `${entry.ref} was not checked: ${problems.join('; ')}.`,
        remediation:
          'Fix the listed fields in the inventory entry or secret value; until then nothing about this login is checked.',
        evidence: { ref: entry.ref, problems: [...problems] },
      }),
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
      },
    });
  }
  return items;
}

/** `platform: must be…` becomes `tag credential-hygiene:platform: must be…` where the adapter says so. */
function withFieldSource(problem: string, sources: InventoryEntry['fieldSources']): string {
  const field = fieldOf(problem);
  const source = sources?.[field];
  return source === undefined ? problem : `${source}${problem.slice(field.length)}`;
}

/** Problems read `field: what is wrong`; a field (a tag key) may itself hold colons, but never a colon and a space. */
function fieldOf(problem: string): string {
  const end = problem.indexOf(': ');
  return end === -1 ? problem : problem.slice(0, end);
}

/** Lookups kept pending for a breach source that does not say how many it serves at once. */
const DEFAULT_BREACH_LOOKUPS_PENDING = 16;

/**
 * One lookup per distinct prefix. Where every account under a prefix remembers its count from a versioned range (an
 * ETag) and the source can revalidate, the lookup is conditional: an unchanged range keeps the remembered counts, and
 * only a changed one is read again. Counts found in a versioned range are written into `records`.
 */
async function lookUpBreaches(
  accounts: readonly AccountWithPassword[],
  { breachSource, onProgress }: ScanRequest,
  records: Map<string, PasswordRecord>,
): Promise<Map<string, BreachLookup>> {
  const lookups = new Map<string, BreachLookup>();
  if (!breachSource) {
    for (const account of accounts)
      lookups.set(account.id, { status: 'failed', reason: 'no breach source is configured' });
    return lookups;
  }
  const byPrefix = new Map<string, Map<string, string[]>>();
  for (const account of accounts) {
    const { prefix, suffix } = sha1Split(account.password);
    const bySuffix = byPrefix.get(prefix) ?? new Map<string, string[]>();
    bySuffix.set(suffix, [...(bySuffix.get(suffix) ?? []), account.id]);
    byPrefix.set(prefix, bySuffix);
  }
  const counted = (count: number): BreachLookup => (count > 0 ? { status: 'found', count } : { status: 'not-found' });
  let done = 0;
  await eachConcurrently(
    byPrefix,
    breachSource.concurrency ?? DEFAULT_BREACH_LOOKUPS_PENDING,
    async ([prefix, bySuffix]) => {
      const ids = [...bySuffix.values()].flat();
      const remembered = ids.map((id) => records.get(id)?.breach);
      const etag = remembered.every((each) => each !== undefined && each.etag === remembered[0]?.etag)
        ? remembered[0]?.etag
        : undefined;
      const suffixes = new Set(bySuffix.keys());
      try {
        const answer = breachSource.countsSince
          ? await breachSource.countsSince(prefix, suffixes, etag)
          : { counts: await breachSource.countsFor(prefix, suffixes) };
        if ('unchanged' in answer && etag === undefined) {
          throw new BreachLookupError('the breach source answered "unchanged" for a range this scan had not seen');
        }
        for (const [suffix, accountIds] of bySuffix) {
          for (const id of accountIds) {
            const count =
              'unchanged' in answer ? (records.get(id)?.breach?.count ?? 0) : (answer.counts.get(suffix) ?? 0);
            lookups.set(id, counted(count));
            const record = records.get(id);
            if (record && !('unchanged' in answer) && answer.etag !== undefined) {
              records.set(id, passwordRecord({ ...record, breach: { count, etag: answer.etag } }));
            }
          }
        }
      } catch (error) {
        for (const id of ids) lookups.set(id, { status: 'failed', reason: breachFailureReason(error) });
      }
      onProgress?.({ phase: 'breach', done: ++done, total: byPrefix.size });
    },
  );
  return lookups;
}

/** How much of the estate's identities a run covered, with a budget smaller than the estate. */
export interface IdentityCoverage {
  readonly identities: number;
  readonly lookedUp: number;
  readonly fromMemory: number;
  readonly notYetChecked: number;
  /** Runs needed for every identity to be looked up once: the rotation's period, in runs. */
  readonly runsToCoverAll: number;
}

/**
 * The breaches of each account's identities: its email address, or a username that is one. Each distinct identity is
 * asked once (one press mailbox is often the login of several platforms). With a budget, the least recently checked
 * identities are asked and the rest keep what was found last time, so every identity is asked within
 * `runsToCoverAll` runs; one never asked yet is reported unchecked, not clean.
 */
async function lookUpIdentities(accounts: readonly Account[], request: ScanRequest) {
  const { identitySource, identityHistory, identityBudget, fingerprintKey, now } = request;
  const identitiesOf = (account: Account) => [
    ...new Set(
      [account.email, account.username]
        .filter((each) => each?.includes('@'))
        .map((each) => (each as string).trim().toLowerCase()),
    ),
  ];
  const identities = [...new Set(accounts.flatMap(identitiesOf))];
  const fingerprintOf = new Map(
    identities.map((identity) => [identity, passwordFingerprint(fingerprintKey, `identity:${identity}`)]),
  );
  const rememberedOf = (identity: string) => identityHistory?.get(fingerprintOf.get(identity) as string);
  const byStaleness = [...identities].sort(
    (a, b) => byCodeUnits(rememberedOf(a)?.lastChecked ?? '', rememberedOf(b)?.lastChecked ?? '') || byCodeUnits(a, b),
  );
  const toAsk = new Set(identitySource ? byStaleness.slice(0, identityBudget ?? identities.length) : []);
  const asked = [...toAsk];
  const outcomes = await Promise.allSettled(
    asked.map((identity) => (identitySource as IdentityBreachSource).breachesFor(identity)),
  );
  const answers = new Map(
    asked.map((identity, index) => [identity, outcomes[index] as PromiseSettledResult<readonly IdentityBreach[]>]),
  );

  const records: IdentityRecord[] = [];
  const perIdentity = new Map<string, IdentityLookup>();
  const budget = identityBudget ?? Math.max(identities.length, 1);
  for (const identity of identities) {
    const answer = answers.get(identity);
    const remembered = rememberedOf(identity);
    if (answer?.status === 'fulfilled') {
      perIdentity.set(identity, { status: 'checked', breaches: answer.value });
      records.push(identityRecord(fingerprintOf.get(identity) as string, now, answer.value));
    } else if (answer?.status === 'rejected') {
      const error = answer.reason;
      perIdentity.set(identity, {
        status: 'failed',
        reason:
          error instanceof IdentityLookupError ? error.message : `the identity lookup failed (${errorName(error)})`,
      });
    } else if (remembered) {
      perIdentity.set(identity, {
        status: 'checked',
        breaches: remembered.breaches.map((each) => ({ ...each, addedDate: new Date(each.addedDate) })),
      });
    } else {
      perIdentity.set(
        identity,
        identitySource
          ? {
              status: 'pending',
              reason: `not yet checked: the rotation (${budget} a run) reaches every email within ${Math.ceil(identities.length / budget)} runs`,
            }
          : { status: 'failed', reason: 'no identity breach source is configured' },
      );
    }
  }

  const lookups = new Map<string, IdentityLookup>();
  for (const account of accounts) {
    const results = identitiesOf(account).map((identity) => perIdentity.get(identity) as IdentityLookup);
    const unanswered =
      results.find((result) => result.status === 'failed') ?? results.find((result) => result.status === 'pending');
    if (unanswered) {
      lookups.set(account.id, unanswered);
      continue;
    }
    const byName = new Map<string, IdentityBreach>();
    for (const result of results)
      if (result.status === 'checked') {
        // By name and date: breaches whose names the adapter could not pass on share one placeholder name.
        for (const breach of result.breaches) {
          const key = `${breach.name}\u0000${breach.addedDate.getTime()}`;
          const seen = byName.get(key);
          const dataClasses = seen ? [...new Set([...seen.dataClasses, ...breach.dataClasses])] : breach.dataClasses;
          byName.set(key, { ...breach, dataClasses });
        }
      }
    lookups.set(account.id, { status: 'checked', breaches: [...byName.values()] });
  }
  const coverage: IdentityCoverage = {
    identities: identities.length,
    lookedUp: asked.length,
    fromMemory: identities.filter((identity) => !toAsk.has(identity) && rememberedOf(identity)).length,
    notYetChecked: identities.filter((identity) => !toAsk.has(identity) && !rememberedOf(identity)).length,
    runsToCoverAll: Math.ceil(identities.length / budget),
  };
  return { lookups, records, coverage };
}

function identityRecord(fingerprint: string, now: Date, breaches: readonly IdentityBreach[]): IdentityRecord {
  return {
    fingerprint,
    lastChecked: now.toISOString(),
    breaches: breaches.map((breach) => ({ ...breach, addedDate: breach.addedDate.toISOString() })),
  };
}

/**
 * What each account's MFA provider says: the provider the account names (`mfaProvider`), else its platform's where
 * that provider is configured. Each user is asked once per provider. A named provider that is not configured, or an
 * account with no user to ask about, is a failed lookup, so the mfa check reports it could not run.
 */
async function lookUpMfaProviders(
  accounts: readonly Account[],
  sources: readonly MfaStatusSource[],
  platforms: PlatformCatalog,
): Promise<Map<string, MfaProviderLookup>> {
  const byId = new Map(sources.map((source) => [source.id, source]));
  const asked = new Map<string, Promise<MfaProviderAnswer>>();
  const lookups = new Map<string, Promise<MfaProviderLookup>>();
  for (const account of accounts) {
    const explicit = account.mfaProvider;
    const fromPlatform = platforms.find(account.platform)?.mfaProvider;
    const id: MfaProviderId | undefined =
      explicit === 'none'
        ? undefined
        : (explicit ?? (fromPlatform && byId.has(fromPlatform) ? fromPlatform : undefined));
    if (id === undefined) continue;
    const provider = MFA_PROVIDER_NAMES[id];
    const failed = (reason: string) => Promise.resolve<MfaProviderLookup>({ provider, status: 'failed', reason });
    const source = byId.get(id);
    const user = mfaUserOf(account, id);
    if (!source) {
      lookups.set(account.id, failed(`the ${provider} MFA provider is not configured`));
      continue;
    }
    if (user === undefined) {
      const field = id === 'aws-iam' ? 'username (the IAM user name)' : 'email (or a username that is an address)';
      lookups.set(account.id, failed(`${provider} needs the account's ${field} to look it up`));
      continue;
    }
    const key = `${id}\u0000${user}`;
    const answer = asked.get(key) ?? source.statusOf(user);
    asked.set(key, answer);
    lookups.set(
      account.id,
      answer.then(
        (answered): MfaProviderLookup => ({ provider, status: 'answered', answer: answered }),
        (error: unknown): MfaProviderLookup => ({
          provider,
          status: 'failed',
          reason:
            error instanceof MfaLookupError ? error.message : `the lookup failed unexpectedly (${errorName(error)})`,
        }),
      ),
    );
  }
  const settled = await Promise.all([...lookups].map(async ([id, lookup]) => [id, await lookup] as const));
  return new Map(settled);
}

/** Who the provider is asked about: the IAM user name, or the sign-in address for a directory. */
function mfaUserOf(account: Account, provider: MfaProviderId): string | undefined {
  if (provider === 'aws-iam') return account.username;
  return account.email ?? (account.username?.includes('@') ? account.username : undefined);
}

function breachFailureReason(error: unknown): string {
  if (error instanceof BreachLookupError) return error.message;
  return `the breach source failed unexpectedly (${errorName(error)})`;
}

/**
 * Scores passwords in small batches, yielding between them so that breach responses are handled meanwhile. A password
 * whose record (same fingerprint) holds a verdict made against the same account words keeps it: zxcvbn is most of a
 * scan's CPU, and most passwords do not change between runs. New verdicts are written into `records`.
 */
async function estimateStrengths(
  accounts: readonly AccountWithPassword[],
  { strengthEstimator, onProgress }: ScanRequest,
  records: Map<string, PasswordRecord>,
): Promise<Map<string, StrengthEstimate | { failed: string }>> {
  const strengths = new Map<string, StrengthEstimate | { failed: string }>();
  let scored = 0;
  for (const [index, account] of accounts.entries()) {
    const phrases = phrasesOf(account);
    const record = records.get(account.id);
    // The words are made from the phrases alone, so the same phrases mean the same words.
    const inputsDigest = record ? digestOf(phrases) : undefined;
    if (record?.strength && record.strengthInputs === inputsDigest) {
      strengths.set(account.id, record.strength);
      continue;
    }
    if (!strengthEstimator) {
      strengths.set(account.id, { failed: 'no password-strength estimator is configured' });
      continue;
    }
    try {
      const strength = strengthEstimator.estimate(account.password, userInputsOf(phrases));
      strengths.set(account.id, strength);
      if (record) records.set(account.id, passwordRecord({ ...record, strength, strengthInputs: inputsDigest }));
    } catch (error) {
      strengths.set(account.id, {
        failed: `the strength estimator failed (${errorName(error)})`,
      });
    }
    if (++scored % YIELD_EVERY === 0) {
      onProgress?.({ phase: 'strength', done: index + 1, total: accounts.length });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return strengths;
}

/** What the account says of itself: its platform, username, email and owner. */
function phrasesOf(account: Account): string[] {
  return [account.platform, account.username, account.email, account.owner].filter(
    (phrase): phrase is string => phrase !== undefined,
  );
}

/** The account's own words, whole and split at punctuation, which an attacker would try first. */
function userInputsOf(phrases: readonly string[]): string[] {
  const words = phrases.flatMap((phrase) => phrase.split(/[^\p{L}\p{N}]+/u)).filter((word) => word.length >= 3);
  return [...new Set([...phrases, ...words])];
}

/** The groups of accounts that share a password, each stated once and referred to by every member. */
function groupReused(accounts: readonly AccountWithPassword[], fingerprints: ReadonlyMap<string, string>) {
  const byFingerprint = new Map<string, string[]>();
  for (const account of accounts) {
    const fingerprint = fingerprints.get(account.id) as string;
    const group = byFingerprint.get(fingerprint);
    if (group) group.push(account.id);
    else byFingerprint.set(fingerprint, [account.id]);
  }
  const shared = [...byFingerprint.values()]
    .filter((ids) => ids.length > 1)
    .map((ids) => ids.sort(byCodeUnits))
    .sort((a, b) => byCodeUnits(a[0] as string, b[0] as string));
  const groups = shared.map((members, index): ReuseGroup => ({ id: `shared-password-${index + 1}`, members }));
  const byAccount = new Map<string, ReuseGroup>();
  for (const group of groups) for (const id of group.members) byAccount.set(id, group);
  return { groups, byAccount };
}

/**
 * The strength of an account's MFA evidence, read from the mfa check's own outcome rather than judged again: an
 * answer from the provider is verified; otherwise a pass with a seed means the seed works, a pass without one means a
 * fresh attestation, and a finding says what it had.
 */
function mfaEvidenceOf(
  account: Account,
  outcome: CheckOutcome | undefined,
  findings: readonly Finding[],
  providerLookup: MfaProviderLookup | undefined,
): MfaEvidence | undefined {
  if (outcome === undefined || outcome === 'error') return undefined;
  if (providerLookup?.status === 'answered') return 'verified';
  if (outcome === 'passed') return account.totp !== undefined ? 'vault' : 'attested';
  const stated = findings.find((found) => found.check === 'mfa')?.evidence.evidence;
  return stated === 'vault' || stated === 'attested' || stated === 'none' ? stated : undefined;
}

/** A finding of a kind its check does not declare could not be overridden or documented: the check is broken. */
function declared(check: Check, found: Finding): Finding {
  if (!Object.hasOwn(check.kinds, kindOf(found))) {
    throw new UndeclaredKindError(`the ${check.id} check reported a kind it does not declare`);
  }
  return found;
}

class UndeclaredKindError extends Error {
  override readonly name = 'UndeclaredKindError';
}

function withPolicySeverity(item: Finding, policy: Policy): Finding {
  const override = policy.severityOverrides[`${item.check}:${kindOf(item)}`] ?? policy.severityOverrides[item.check];
  return override === undefined ? item : { ...item, severity: override };
}

function checkError(accountId: string, checkId: CheckId, error: unknown, policy: Policy): Finding {
  const reason =
    error instanceof CheckUnavailableError ? error.message : `the check failed unexpectedly (${errorName(error)})`;
  return withPolicySeverity(
    finding({
      accountId,
      check: 'check-error',
      kind: checkId,
      severity: 'medium',
      title: `The ${checkId} check could not run`,
      detail: `${reason}. This account is unchecked for ${checkId}, not passed.`,
      remediation: 'Fix the cause and scan again; until then treat this account as unchecked for this check.',
      evidence: { check: checkId, reason },
    }),
    policy,
  );
}

function accountResult(
  account: Account,
  checks: Partial<Record<CheckId, CheckOutcome>>,
  findings: readonly Finding[],
  mfaProviderLookup: MfaProviderLookup | undefined,
): AccountResult {
  const outcomes = Object.values(checks);
  const status = outcomes.includes('failed') ? 'at-risk' : outcomes.includes('error') ? 'incomplete' : 'ok';
  const mfaEvidence = mfaEvidenceOf(account, checks.mfa, findings, mfaProviderLookup);
  // Optional fields last: a leading spread would give every result a hidden class of its own (see passwordRecord).
  return {
    id: account.id,
    platform: account.platform,
    owner: account.owner ?? null,
    status,
    worstSeverity: worstOf(findings.map((item) => item.severity)) ?? null,
    checks,
    ...(mfaEvidence !== undefined && { mfaEvidence }),
  };
}
