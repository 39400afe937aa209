import type { RiskException } from './exceptions';
import type { Platform } from './platform-catalog';
import type { Severity } from './severity';

/** Thresholds and severity overrides. Every field has a default; a policy file overrides some of them. */
export interface Policy {
  /**
   * Each check's own thresholds, under its key in the policy file: declared by the check with their
   * defaults (its `settings`); read with `settingsOf`. A check absent here has its defaults.
   */
  readonly checkSettings: Readonly<Record<string, object>>;
  /** How long an open finding waits, by severity, before its owner is reminded of it. */
  readonly reminderDays: Readonly<Record<Severity, number>>;
  /**
   * How many days a finding of each severity may stay open before it is told, once, to its owner's escalation contact;
   * a severity not listed never escalates. Empty by default: escalation is opted into.
   */
  readonly escalation: Readonly<Partial<Record<Severity, number>>>;
  /** Severity overrides by `check` or `check:kind`, e.g. `{"ownership": "low", "mfa:unavailable": "low"}`. */
  readonly severityOverrides: Readonly<Record<string, Severity>>;
  /** Platforms added to (or replacing, by domain) the bundled catalog: a service it does not know, or knows wrongly. */
  readonly platforms: readonly Platform[];
  /**
   * The organisation's own email domains (subdomains included): a recovery address outside them, that no monitored
   * mailbox holds, hands a login's reset to someone else (a personal mailbox, a former employee's). Empty: not checked.
   */
  readonly organisationDomains: readonly string[];
  /** Findings accepted as risks, per account, with a reason, who accepted them and until when (see exceptions.ts). */
  readonly exceptions: readonly RiskException[];
  /** How far ahead an exception may expire, in days from the day the policy is read, by the severity it accepts. */
  readonly exceptionMaxDays: Readonly<Record<Severity, number>>;
}

export const DEFAULT_POLICY: Policy = {
  checkSettings: {},
  reminderDays: { critical: 1, high: 7, medium: 30, low: 30, info: 30 },
  escalation: {},
  severityOverrides: {},
  platforms: [],
  organisationDomains: [],
  exceptions: [],
  exceptionMaxDays: { critical: 30, high: 90, medium: 365, low: 365, info: 365 },
};

/**
 * The longest a finding may ever be accepted for, by severity: a policy may lower `exceptionMaxDays` freely, but not
 * raise it past these, in the same file the caps are meant to bind (a critical accepted for a century is no decision).
 */
export const EXCEPTION_MAX_DAYS_CEILING: Readonly<Record<Severity, number>> = {
  critical: 90,
  high: 180,
  medium: 730,
  low: 730,
  info: 730,
};
