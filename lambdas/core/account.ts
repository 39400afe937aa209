import type { SecondFactor } from './second-factor';
/** What an owner has said about a login's second factor. */
export const MFA_STATUSES = ['enabled', 'disabled', 'unsupported'] as const;

export type MfaStatus = (typeof MFA_STATUSES)[number];

/** An identity provider's id (see `MfaProviderDescriptor`): the providers themselves are declared by their adapters. */
export type MfaProviderId = string;

export interface MfaAttestation {
  readonly status: MfaStatus;
  /** When the owner last confirmed it; undefined when the attestation carries no date. */
  readonly attestedAt?: Date;
  /** The factors the owner says are registered (`sms`, `totp`…), when they say. */
  readonly methods?: readonly SecondFactor[];
}

/**
 * A shared login: one entry of the local inventory file, or one monitored secret in Secrets Manager.
 * `password` and `totp` are secret material and must never reach a finding, a log or an error.
 */
export interface Account {
  readonly id: string;
  /** The service's domain, lower case: `x.com`, `gmail.com`. */
  readonly platform: string;
  /** The team or person that gets this login's findings; undefined when nobody is named. */
  readonly owner?: string;
  readonly username?: string;
  readonly email?: string;
  /**
   * Where a reset of this login is sent, when recorded: an email address and an E.164 phone number. Not secret, but
   * personal data: a phone is shown masked and never sent by SMS.
   */
  readonly recoveryEmail?: string;
  readonly recoveryPhone?: string;
  /** Absent only when the secret value was not read (by design, or because reading it failed). */
  readonly password?: string;
  readonly passwordChangedAt?: Date;
  /** An `otpauth://` URI or a base32 seed. */
  readonly totp?: string;
  readonly mfa?: MfaAttestation;
  /** The provider to ask about the second factor; `none` opts out of the platform's default provider. */
  readonly mfaProvider?: MfaProviderId | 'none';
  /** Secrets Manager rotation, when the login is a secret with rotation metadata. */
  readonly rotation?: RotationFacts;
  /** Set when the secret is scheduled for deletion. */
  readonly deletionScheduledAt?: Date;
  /**
   * The member of the estate the login is kept in (an AWS account of an organisation), where the store has members.
   * A member's login id begins with the member's (`111111111111/press-office/x`), so that two members' logins of one
   * name differ; the monitor's own account's logins keep their names (so turning members on renames none).
   */
  readonly keptIn?: string;
}

export interface RotationFacts {
  readonly enabled: boolean;
  /** From `AutomaticallyAfterDays` or a `rate()` schedule; undefined for a `cron()` schedule. */
  readonly intervalDays?: number;
  readonly lastRotatedAt?: Date;
  readonly nextRotationAt?: Date;
  /** When the secret was created: the start of the first rotation interval. */
  readonly createdAt?: Date;
  /**
   * When a change of password by its owner was started (`rotate start`) and not yet confirmed or aborted: the vault
   * holds the new password as pending while the platform may still have the old one.
   */
  readonly pendingSince?: Date;
}
