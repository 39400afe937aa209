import { bySeverityDescending, type Severity } from './severity';
import { byCodeUnits } from './text-order';

/** What an accepted finding carries: why, who, and until when. */
export interface Acceptance {
  readonly reason: string;
  readonly acceptedBy: string;
  readonly expires: string;
}

/** Stable check ids: they appear in reports, policies and (later) notification filters. */
export const CHECK_IDS = [
  'breached-password',
  'breached-identity',
  'weak-password',
  'reused-password',
  'password-age',
  'rotation',
  'mfa',
  'ownership',
  'recovery',
  'knowers',
  'invalid-secret',
  'check-error',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/** A fact safe to share: a count, a date, an id, a list of ids, or a list of small records of them (a chain). */
export type EvidenceValue =
  | string
  | number
  | boolean
  | readonly string[]
  | readonly Readonly<Record<string, number | readonly string[]>>[];

/** A problem with one account, written for its owner. Never carries secret material. */
export interface Finding {
  /** `accountId#check:kind`, the same for the same problem on every run. */
  readonly id: string;
  readonly accountId: string;
  readonly check: CheckId;
  readonly severity: Severity;
  readonly title: string;
  readonly detail: string;
  /** What the owner should do about it. */
  readonly remediation: string;
  readonly evidence: Readonly<Record<string, EvidenceValue>>;
  /** The platform's page where the fix is made (its change-password or second-factor page), when the catalog has one. */
  readonly link?: string;
  /**
   * On a finding that exists because of another login's problem (a takeover chain, a shared password): the report's
   * action that fixes or unblocks it (see report/actions).
   */
  readonly rootAction?: string;
  /**
   * Set when a policy exception accepts this finding: it stays in the report but makes no account at risk, fails no
   * `--fail-on` and is told to no one until the acceptance ends.
   */
  readonly accepted?: Acceptance;
}

export interface FindingInput {
  readonly accountId: string;
  readonly check: CheckId;
  readonly kind: string;
  readonly severity: Severity;
  readonly title: string;
  readonly detail: string;
  readonly remediation: string;
  readonly evidence?: Readonly<Record<string, EvidenceValue>>;
  readonly link?: string;
}

export function finding(input: FindingInput): Finding {
  return {
    id: `${input.accountId}#${input.check}:${input.kind}`,
    accountId: input.accountId,
    check: input.check,
    severity: input.severity,
    title: input.title,
    detail: input.detail,
    remediation: input.remediation,
    evidence: input.evidence ?? {},
    ...(input.link !== undefined && { link: input.link }),
  };
}

/** The `kind` part of a finding id (of a finding, or of a finding's remembered state). */
export function kindOf(found: Pick<Finding, 'id'>): string {
  return found.id.slice(found.id.lastIndexOf(':') + 1);
}

/** The order findings are reported in: worst first, then by account and id in code units (the same on every machine). */
export function worstFirst(a: Finding, b: Finding): number {
  return (
    bySeverityDescending(a.severity, b.severity) || byCodeUnits(a.accountId, b.accountId) || byCodeUnits(a.id, b.id)
  );
}
