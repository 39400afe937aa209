import type { Account } from './account';
import type { Check, CheckContext, FindingDraft, KindDeclaration } from './check';
import { type CheckId, type Finding, finding } from './finding';
import type { Policy } from './policy-model';
import type { Severity } from './severity';

/**
 * A check's findings on one account, as the engine reports them: each draft stamped with the account, the check's id
 * and its kind's severity (the declared one, or its rule's), then the policy's override of that kind. A kind the check
 * does not declare, or a rule that gives a severity it does not declare, is a broken check: it throws, and the scan
 * reports a check-error, never the finding.
 */
export function checkFindings(check: Check, account: Account, context: CheckContext): Finding[] {
  return check.run(account, context).map((draft) => {
    const declaration = Object.hasOwn(check.kinds, draft.kind) ? check.kinds[draft.kind] : undefined;
    if (declaration === undefined) {
      throw new UndeclaredKindError(`the ${check.id} check reported a kind it does not declare`);
    }
    const severity = severityOf(declaration, draft, account, context);
    const page = Object.hasOwn(check.fixes, draft.kind) ? check.fixes[draft.kind]?.page : undefined;
    const link = page === undefined ? undefined : context.platforms.linkOf(account.platform, page)?.url;
    return stampedFinding(account.id, check.id, draft, severity, context.policy, link);
  });
}

/** A finding of the engine's own (an unreadable entry, a check that could not run), with the policy's override. */
export function stampedFinding(
  accountId: string,
  check: CheckId,
  draft: FindingDraft,
  severity: Severity,
  policy: Policy,
  link?: string,
): Finding {
  return finding({
    accountId,
    check,
    kind: draft.kind,
    severity: overriddenSeverity(check, draft.kind, severity, policy),
    title: draft.title,
    detail: draft.detail,
    remediation: draft.remediation,
    ...(draft.evidence !== undefined && { evidence: draft.evidence }),
    ...(link !== undefined && { link }),
  });
}

/** The policy's override of a kind (`check:kind`, else the check), or the severity the kind has. */
export function overriddenSeverity(check: string, kind: string, severity: Severity, policy: Policy): Severity {
  return policy.severityOverrides[`${check}:${kind}`] ?? policy.severityOverrides[check] ?? severity;
}

function severityOf(
  declaration: KindDeclaration,
  draft: FindingDraft,
  account: Account,
  context: CheckContext,
): Severity {
  if (typeof declaration === 'string') return declaration;
  const severity = declaration.severityOf(draft, account, context);
  if (!declaration.severities.includes(severity)) {
    throw new UndeclaredKindError(`a severity rule gave a severity its kind does not declare (${severity})`);
  }
  return severity;
}

class UndeclaredKindError extends Error {
  override readonly name = 'UndeclaredKindError';
}
