import type { EvidenceLevel } from '../evidence-strength';
import type { Acceptance } from '../exceptions';
import type { CheckId, EvidenceValue, Finding } from '../finding';
import { SafeToShowError } from '../safe-to-show-error';
import type { Severity } from '../severity';

/** What is remembered of one finding between runs. Dates are ISO strings. Never holds secret material. */
export interface FindingState {
  readonly id: string;
  readonly accountId: string;
  readonly check: CheckId;
  /** The owner when last seen: a fixed finding is reported to them. */
  readonly owner: string | null;
  readonly title: string;
  readonly severity: Severity;
  readonly status: 'open' | 'resolved';
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** When its owner was last told about it; undefined until a run that notifies has succeeded. */
  readonly lastNotified?: string;
  /**
   * Since when it has been open and unaccepted, where that differs from `firstSeen` (an acceptance ended): the start
   * of the days that count towards its escalation.
   */
  readonly openSince?: string;
  /** When it was told to its owner's escalation contact, in this open period: it is escalated once. */
  readonly escalatedAt?: string;
  readonly resolvedAt?: string;
  /** While a policy exception accepts it: why, by whom, until when; kept so its end can be told in those words. */
  readonly accepted?: Acceptance;
  /** The expiry its owner was told is near (once per expiry date: an extended acceptance is told again). */
  readonly endingToldFor?: string;
  /** How strong the evidence was when it was last found, where its check's evidence varies (see evidence-strength). */
  readonly evidenceLevel?: EvidenceLevel;
  /**
   * On a resolved finding: the channels still owed its closing (a Security Hub import of it as archived that failed),
   * by channel id. It is offered to them again on every run until they take it.
   */
  readonly owedTo?: readonly string[];
}

/** How long a resolved finding is kept for the record (the table's TTL; the state file prunes it then too). */
export const RESOLVED_RETENTION_DAYS = 180;
/**
 * How long the state file keeps a password fingerprint or an identity record no run has used: a login retired a
 * year ago has no age to remember.
 */
export const UNUSED_RECORD_RETENTION_DAYS = 365;

/**
 * What is remembered of an account's password: a keyed fingerprint (HMAC, never a plain hash) and since when that
 * password has been in place, so that an edit that leaves the password as it was does not reset its age.
 */
export interface PasswordRecord {
  readonly accountId: string;
  readonly fingerprint: string;
  /** Since when this password is known to be in place; undefined when no date was ever stated. */
  readonly passwordSince?: string;
  /** The change date the inventory stated when the fingerprint was taken (a secret version's creation date). */
  readonly statedChangedAt?: string;
  /** The strength verdict for this password, kept so an unchanged password is not scored again. */
  readonly strength?: { readonly score: 0 | 1 | 2 | 3 | 4; readonly warning?: string };
  /** A digest of what the account says of itself (platform, username, email, owner), which the words the strength
   * was judged against are made from: a change to them voids the verdict. */
  readonly strengthInputs?: string;
  /** The breach count found for this password in its range, and the range's version (ETag) it was found in. */
  readonly breach?: { readonly count: number; readonly etag: string };
}

/**
 * What is remembered of an identity (an email) checked against the identity breach source: keyed by an HMAC of the email, so the
 * state holds no address, with when it was last asked and what was found.
 */
export interface IdentityRecord {
  readonly fingerprint: string;
  readonly lastChecked: string;
  readonly breaches: readonly {
    readonly name: string;
    readonly addedDate: string;
    readonly exposedPasswords: boolean;
  }[];
}

/** The lifecycle state of one function family (one scheduled function, or the CLI), plus the shared password and identity records. */
export interface LifecycleState {
  readonly findings: readonly FindingState[];
  readonly passwords: readonly PasswordRecord[];
  readonly identities?: readonly IdentityRecord[];
  /**
   * When the family last ran (the clock of the run that saved it): a later run must not be earlier. Written on save;
   * the state file keeps it (the table, whose functions run on the real clock, does not need to).
   */
  readonly lastRun?: string;
}

export const EMPTY_STATE: LifecycleState = { findings: [], passwords: [], identities: [] };

export interface LoadOptions {
  readonly withPasswords?: boolean;
  readonly withIdentities?: boolean;
}

/** Where lifecycle state is kept: a DynamoDB table on AWS, a JSON file locally. */
export interface LifecycleStore {
  /** The family's findings; the shared password records unless `withPasswords` is false; identity records if asked. */
  load(family: string, options?: LoadOptions): Promise<LifecycleState>;
  /** Writes the given states (upserts); `passwords` only when the family records them. */
  save(family: string, changes: LifecycleState): Promise<void>;
  /**
   * Runs `work` while holding the family's lock, so that two overlapping runs reconcile one after the other: neither
   * notifies what the other already has, and neither overwrites the other's update.
   */
  withLock<T>(family: string, work: () => Promise<T>): Promise<T>;
}

/** The lock is held by another run and was not released in time. */
export class LifecycleLockError extends SafeToShowError {
  override readonly name = 'LifecycleLockError';
}

/** The run's clock is earlier than the last run the state records: saving would undo what later runs told. */
export class LifecycleClockError extends SafeToShowError {
  override readonly name = 'LifecycleClockError';
}

/**
 * A remembered finding as a finding again: what it is, how bad, whether it is accepted, with the words and evidence
 * this use of it gives (another run's finding read by the estate phase, one held open because it is not confirmed
 * fixed).
 */
export function findingOfState(
  state: FindingState,
  words: {
    readonly detail: string;
    readonly remediation: string;
    readonly evidence: Readonly<Record<string, EvidenceValue>>;
  },
): Finding {
  return {
    id: state.id,
    accountId: state.accountId,
    check: state.check,
    severity: state.severity,
    title: state.title,
    ...words,
    ...(state.accepted !== undefined && { accepted: state.accepted }),
  };
}
