import { type Check, CheckPendingError, CheckUnavailableError } from '../check';
import { type Finding, finding, kindOf } from '../finding';
import { bySeverityDescending, type Severity, worstOf } from '../severity';

/**
 * What makes a login a weak link on a takeover path: its password is breached, weak or reused, its second factor is
 * off, unproven or weak, or it could not be checked. Its age alone does not (an old strong password still holds).
 */
const EXPOSING_CHECKS = new Set<string>([
  'breached-password',
  'breached-identity',
  'weak-password',
  'reused-password',
  'mfa',
  'check-error',
  'invalid-secret',
]);
/** The checks that say whether a login is exposed: a link none of them ran on cannot be judged. */
const JUDGING_CHECKS = ['breached-password', 'weak-password', 'reused-password', 'mfa'] as const;

/** `mfa:not-enforced`: a second factor is registered; the link is not open for want of one. */
const isExposing = (found: Finding) =>
  found.accepted === undefined &&
  EXPOSING_CHECKS.has(found.check) &&
  `${found.check}:${kindOf(found)}` !== 'mfa:not-enforced';

/**
 * Can this login be taken over through another? A login is only as safe as the mailbox that can reset it: the X
 * account with a strong password and MFA falls with the shared mailbox its resets go to. For each chain of logins
 * that can reach it (evidence/recovery), any exposed link makes a finding, as severe as the worst exposure on the
 * way, naming the chain and what is wrong with each link, and which link to fix first; never a secret.
 */
export const recoveryCheck: Check = {
  id: 'recovery',
  kinds: { 'exposed-chain': 'critical' },
  needs: ['recovery-graph'],
  phase: 'estate',
  // Its verdict depends on the other logins: a spot check that did not see them never resolves it.
  estateWide: true,
  run(account, { evidence, estate }) {
    if (estate === undefined || evidence.recovery === undefined) {
      throw new CheckUnavailableError('the logins that can reset it were not looked at in this run');
    }
    const exposures = new Map<string, readonly Finding[]>();
    const exposureOf = (id: string) => {
      let found = exposures.get(id);
      if (found === undefined) {
        found = estate.findingsOf(id).filter(isExposing);
        exposures.set(id, found);
      }
      return found;
    };
    let unjudged: string | undefined;
    const exposedChains = evidence.recovery.chains.filter((chain) => {
      for (const id of chain) {
        const outcomes = estate.outcomesOf(id);
        if (outcomes === undefined || !JUDGING_CHECKS.some((check) => outcomes[check] !== undefined)) unjudged ??= id;
      }
      return chain.some((id) => exposureOf(id).length > 0);
    });
    if (exposedChains.length === 0) {
      if (unjudged !== undefined) {
        throw new CheckPendingError(`${unjudged}, which can reset it, was not checked in this run`);
      }
      return [];
    }
    const links = [...new Set(exposedChains.flat())].filter((id) => exposureOf(id).length > 0);
    const severityOf = (id: string) => worstOf(exposureOf(id).map((found) => found.severity)) as Severity;
    const distance = (id: string) =>
      Math.min(...exposedChains.map((chain) => chain.indexOf(id)).filter((at) => at >= 0));
    // The worst link first; of equally bad ones, the nearest: it is the shortest way in.
    const [fixFirst] = [...links].sort(
      (a, b) => bySeverityDescending(severityOf(a), severityOf(b)) || distance(a) - distance(b),
    ) as [string];
    const severity = worstOf(links.map(severityOf)) as Severity;
    const chains = exposedChains.map((chain) => [account.id, ...chain].join(' <- '));
    const problems = links.map(
      (id) =>
        `${id}: ${[...new Set(exposureOf(id).map((found) => `${found.check}:${kindOf(found)} (${found.severity})`))].join(', ')}`,
    );
    return [
      finding({
        accountId: account.id,
        check: 'recovery',
        kind: 'exposed-chain',
        severity,
        title: 'Can be taken over through another login',
        detail: `Whoever holds ${fixFirst} can reset this login: ${chains.join('; ')}. On the way: ${problems.join('; ')}.`,
        remediation: `Fix ${fixFirst} first (${exposureOf(fixFirst)
          .map((found) => found.title.toLowerCase())
          .join(
            '; ',
          )}): it can reset this login. Then fix the other links named, or move this login's recovery email to a mailbox that is well protected.`,
        evidence: { chains, fixFirst, links: problems },
      }),
    ];
  },
};
