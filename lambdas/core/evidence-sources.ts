import type { MfaProviderId } from './account';
import type { Leavers, SecretRead } from './secret-reads';

/**
 * A breach corpus queried by k-anonymity range: only the 5-hex `prefix` may leave the process. Resolves to the
 * breach counts of those `suffixes` it holds (absent: not found); rejects when it could not answer, and must never
 * resolve "not found" for a failed or unreadable answer.
 */
export interface BreachRangeSource {
  /** Lookups the source serves at once; a scan keeps no more than this many pending. Default 16. */
  readonly concurrency?: number;
  countsFor(prefix: string, suffixes: ReadonlySet<string>): Promise<ReadonlyMap<string, number>>;
  /**
   * A conditional lookup, for sources that version their ranges (HTTP ETags): `unchanged` when the range is still the
   * one remembered under `etag`, so its remembered counts hold; otherwise fresh counts and the range's new version.
   */
  countsSince?(prefix: string, suffixes: ReadonlySet<string>, etag: string | undefined): Promise<RangeAnswer>;
}

export type RangeAnswer =
  | { readonly unchanged: true }
  | { readonly counts: ReadonlyMap<string, number>; readonly etag?: string };

/** Why a breach source could not answer. The message is shown to owners, so it never carries a hash or password. */
export class BreachLookupError extends Error {
  override readonly name = 'BreachLookupError';
}

/** Why an identity could not be looked up. The message is shown to owners: never the API key or the identity. */
export class IdentityLookupError extends Error {
  override readonly name = 'IdentityLookupError';
}

/** The breaches an identity (an email address) appears in; rejects when it could not find out. */
export interface IdentityBreachSource {
  /** The source's name as readers know it, for findings: its product's name. */
  readonly name: string;
  breachesFor(identity: string): Promise<readonly IdentityBreach[]>;
}

/** Scores a password with the account's own words (username, email, platform) counted as known to an attacker. */
export interface PasswordStrengthEstimator {
  estimate(password: string, userInputs: readonly string[]): StrengthEstimate;
}

/** What an identity provider says about one user's second factor. */
export interface MfaProviderAnswer {
  /** The user has a second factor registered. */
  readonly enrolled: boolean;
  /** Whether sign-in requires it; undefined when the provider does not say. */
  readonly enforced?: boolean;
  /**
   * The factors registered, where the provider lists them: in the project's names (`SecondFactor`: sms, totp,
   * security-key…), or the provider's own for one it has no name for.
   */
  readonly methods?: readonly string[];
  /** Why `enforced` is false, in the provider's terms, where that needs saying. */
  readonly notEnforcedBecause?: string;
}

/**
 * An identity provider asked about a user's MFA (each declared by its adapter: see MfaProviderDescriptor). Rejects with an
 * `MfaLookupError` when it could not find out (no such user, refused credentials, throttled, down): never "enrolled".
 */
export interface MfaStatusSource {
  readonly id: MfaProviderId;
  statusOf(user: string): Promise<MfaProviderAnswer>;
}

/** Why a provider could not say. The message is shown to owners: never a credential, token or the user's address. */
export class MfaLookupError extends Error {
  override readonly name = 'MfaLookupError';
}

/**
 * A breach an account's identity (its email address) appears in, as the identity breach source reports it. A source
 * passes on only breaches that count: ones it knows to be fabricated, spam lists or retired are its to leave out.
 */
export interface IdentityBreach {
  readonly name: string;
  /** When the source learned of the breach: precise, and what decides whether the current password could be in it. */
  readonly addedDate: Date;
  /** Whether the breach exposed passwords. */
  readonly exposedPasswords: boolean;
}

/** A password-strength score on zxcvbn's 0-4 scale, with its generic advice (never derived text of the password). */
export interface StrengthEstimate {
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly warning?: string;
}

/**
 * Who read the monitored secrets: the reads an audit log recorded (CloudTrail), and the people known to have left.
 * Rejects when they cannot be known (a log that cannot be read, a lookup that failed): the knowers check then could
 * not run, never passed.
 */
export interface SecretReadSource {
  readonly name: string;
  /** The reads of the given secrets (their names: an inventory file's login ids, or the secrets' names). */
  load(secrets: readonly string[]): Promise<{
    readonly reads: readonly SecretRead[];
    readonly leavers: Leavers;
    /** The principals that are the monitor itself (globs of ARNs): their reads are never people's. */
    readonly monitorPrincipals: readonly string[];
  }>;
}
