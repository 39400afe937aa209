import type { Account } from './account';
import type { AccountOutcomes, CheckOutcome } from './account-result';
import { type Check, type CheckContext, CheckPendingError, CheckUnavailableError } from './check';
import { checkFindings, stampedFinding } from './check-findings';
import { CHECK_ERROR_SEVERITY } from './engine-kinds';
import { errorName } from './error-name';
import type { EvidenceLevel } from './evidence-strength';
import type { ExceptionMatcher } from './exceptions';
import type { CheckId, Finding } from './finding';
import type { Policy } from './policy-model';

/** An account as the run checks it: its context, and what its checks found, phase by phase. */
export interface CheckedAccount {
  readonly account: Account;
  readonly valueUnavailable: string | undefined;
  readonly resource: string | undefined;
  readonly context: CheckContext;
  readonly outcomes: AccountOutcomes;
  readonly findings: Finding[];
  readonly levels: Partial<Record<CheckId, EvidenceLevel>>;
}

/**
 * Runs checks on one account at a time: each check's findings stamped and offered to the policy's exceptions, its
 * outcome decided, and a check that could not run reported as a check-error, never as a pass.
 */
export class CheckRunner {
  constructor(
    private readonly exceptions: ExceptionMatcher,
    private readonly policy: Policy,
    /** Whether the run sees every account: a check that compares accounts (`estateWide`) cannot pass otherwise. */
    private readonly wholeEstate: boolean,
  ) {}

  /** Runs `checks` on one account, adding to its outcomes, findings and evidence levels. */
  runOn(
    checks: readonly Check[],
    account: Account,
    valueUnavailable: string | undefined,
    context: CheckContext,
    outcomes: AccountOutcomes,
    accountFindings: Finding[],
    levels: Partial<Record<CheckId, EvidenceLevel>>,
  ): void {
    for (const check of checks) {
      try {
        if (check.needs?.includes('secret-value') && account.password === undefined) {
          throw new CheckUnavailableError(
            `the secret value could not be used: ${valueUnavailable ?? 'it was not read'}`,
          );
        }
        const found = checkFindings(check, account, context).map((each) => this.exceptions.accept(each));
        outcomes[check.id] = this.outcomeOf(check, found);
        accountFindings.push(...found);
        if (check.evidenceLevel) levels[check.id] = check.evidenceLevel(account, context);
      } catch (error) {
        if (error instanceof CheckPendingError) {
          outcomes[check.id] = 'pending';
          continue;
        }
        outcomes[check.id] = 'error';
        accountFindings.push(checkError(account.id, check.id, error, this.policy));
      }
    }
  }

  private outcomeOf(check: Check, found: readonly Finding[]): CheckOutcome {
    if (found.some((each) => each.accepted === undefined)) return 'failed';
    if (found.length > 0) return 'accepted';
    return check.estateWide && !this.wholeEstate ? 'pending' : 'passed';
  }
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
