import type { Account } from './account';
import { type EvidenceLevel, type ShownEvidenceLevel, shownEvidenceLevel } from './evidence-strength';
import type { CheckId, Finding } from './finding';
import type { KnowersSummary } from './knowers';
import { type Severity, worstOf } from './severity';

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
  /**
   * `invalid`: could not be read; `at-risk`: has findings of its own (not accepted ones); `exposed`: its only findings
   * exist because of another login (the report decides it, see report/actions); `incomplete`: a check could not run;
   * `ok`.
   */
  readonly status: 'ok' | 'at-risk' | 'exposed' | 'incomplete' | 'invalid';
  /** The worst of its findings that are not accepted. */
  readonly worstSeverity: Severity | null;
  readonly checks: Readonly<Partial<Record<CheckId, CheckOutcome>>>;
  /** Where the login is kept, when the inventory says: the secret's ARN. */
  readonly resource?: string;
  /** The member of the estate it is kept in (an AWS account), where the store has members. */
  readonly keptIn?: string;
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
  /**
   * Who holds its password, where the knowers check ran on known reads: since when, how many people read the current
   * password, and who of them has left (names and days, never a token or an address).
   */
  readonly knowers?: KnowersSummary;
}

export type MfaEvidence = ShownEvidenceLevel;

/** Each check's outcome on one account, as the run decides them. */
export type AccountOutcomes = Partial<Record<CheckId, CheckOutcome>>;

/** An account's line of the report: its status from its checks' outcomes, the worst of its open findings. */
export function accountResult(
  account: Account,
  checks: Partial<Record<CheckId, CheckOutcome>>,
  findings: readonly Finding[],
  levels: Readonly<Partial<Record<CheckId, EvidenceLevel>>>,
  resource: string | undefined,
  exposes: { readonly ids: readonly string[]; readonly count: number } | undefined,
  knowers?: KnowersSummary,
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
    ...(account.keptIn !== undefined && { keptIn: account.keptIn }),
    ...(mfaEvidence !== undefined && { mfaEvidence }),
    ...(exposes !== undefined && exposes.count > 0 && { exposes: exposes.ids, exposesCount: exposes.count }),
    ...(knowers !== undefined && { knowers }),
  };
}
