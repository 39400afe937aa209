import type { AccountOutcomes } from './account-result';
import type { Check, EstateView } from './check';
import { TAKEOVER_LINKS } from './check-registry';
import type { CheckedAccount, CheckRunner } from './check-runner';
import type { Finding } from './finding';
import { type FindingState, findingOfState } from './lifecycle/lifecycle-state';

/**
 * The second phase: the checks that judge a login by the others (a takeover path is as exposed as its weakest link),
 * run once every login has been through the first phase. They read what the first phase found on each login, with
 * what other runs keep on it (`knownFindings`: another function's MFA verdicts). Each login's verdicts are kept apart
 * until every login has been judged, so that no estate check reads another's; then they join its outcomes and findings.
 */
export function judgeEstate(
  checked: readonly CheckedAccount[],
  checks: readonly Check[],
  knownFindings: readonly FindingState[],
  runner: CheckRunner,
): void {
  const findingsOf = new Map<string, Finding[]>();
  const outcomesOf = new Map<string, Readonly<AccountOutcomes>>();
  for (const row of checked) {
    findingsOf.set(row.account.id, [...row.findings]);
    outcomesOf.set(row.account.id, row.outcomes);
  }
  for (const state of knownFindings) {
    const known = findingsOf.get(state.accountId);
    if (known) known.push(rememberedFinding(state));
    else findingsOf.set(state.accountId, [rememberedFinding(state)]);
  }
  const estate: EstateView = {
    findingsOf: (accountId) => findingsOf.get(accountId) ?? [],
    outcomesOf: (accountId) => outcomesOf.get(accountId),
    links: TAKEOVER_LINKS,
  };
  const judged = checked.map((row) => {
    const outcomes: AccountOutcomes = {};
    const found: Finding[] = [];
    runner.runOn(checks, row.account, row.valueUnavailable, { ...row.context, estate }, outcomes, found, row.levels);
    return { outcomes, found };
  });
  for (const [index, row] of checked.entries()) {
    const verdicts = judged[index];
    if (verdicts === undefined) continue;
    Object.assign(row.outcomes, verdicts.outcomes);
    row.findings.push(...verdicts.found);
  }
}

/** A finding another run keeps, as the estate phase reads findings: what it is, how bad, whether it is accepted. */
function rememberedFinding(state: FindingState): Finding {
  return findingOfState(state, { detail: '', remediation: '', evidence: {} });
}
