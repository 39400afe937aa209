import type { Account } from '../account';
import { type Check, CheckPendingError, CheckUnavailableError, type EstateView, type RecoveryPaths } from '../check';
import { type Finding, finding, kindOf } from '../finding';
import { maskedPhone } from '../personal-data';
import type { Platform } from '../platform-catalog';
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
/** Between the logins of a chain as its evidence writes it: `press-office/x <- press-office/mailbox`. */
export const CHAIN_LINK = ' <- ';
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
  kinds: {
    'exposed-chain': 'critical',
    'outside-organisation': 'high',
    'shared-phone': 'low',
    'no-recovery-recorded': 'low',
  },
  needs: ['recovery-graph'],
  phase: 'estate',
  // Its verdict depends on the other logins: a spot check that did not see them never resolves it.
  estateWide: true,
  run(account, { evidence, estate, policy, platforms }) {
    if (estate === undefined || evidence.recovery === undefined) {
      throw new CheckUnavailableError('the logins that can reset it were not looked at in this run');
    }
    const platform = platforms.find(account.platform);
    const own = [
      ...outsideOrganisation(account, evidence.recovery, policy.organisationDomains, platform),
      ...sharedPhone(account, evidence.recovery),
      // Asked for only where the policy names the organisation's domains: an estate that records where its resets go.
      ...(platform !== undefined &&
      policy.organisationDomains.length > 0 &&
      account.email === undefined &&
      account.recoveryEmail === undefined &&
      account.recoveryPhone === undefined
        ? [
            finding({
              accountId: account.id,
              check: 'recovery',
              kind: 'no-recovery-recorded',
              severity: 'low',
              title: 'No recovery method is recorded',
              detail: `Nothing says where ${platform.name} sends this login's password resets, so nobody can tell who could take it over that way.`,
              remediation:
                "Record the login's recovery email (recoveryEmail, or its email) and phone (recoveryPhone), as set on the platform.",
            }),
          ]
        : []),
    ];
    const chains = exposedChainFinding(account.id, evidence.recovery.chains, estate);
    if (chains instanceof CheckPendingError) {
      if (own.length === 0) throw chains;
      return own;
    }
    return [...chains, ...own];
  },
};

/**
 * The chains through an exposed link, as one finding; a pending error when a link was not checked in this run and
 * nothing else is exposed.
 */
function exposedChainFinding(
  accountId: string,
  allChains: readonly (readonly string[])[],
  estate: EstateView,
): Finding[] | CheckPendingError {
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
  const exposedChains = allChains.filter((chain) => {
    for (const id of chain) {
      const outcomes = estate.outcomesOf(id);
      if (outcomes === undefined || !JUDGING_CHECKS.some((check) => outcomes[check] !== undefined)) unjudged ??= id;
    }
    return chain.some((id) => exposureOf(id).length > 0);
  });
  if (exposedChains.length === 0) {
    return unjudged === undefined
      ? []
      : new CheckPendingError(`${unjudged}, which can reset it, was not checked in this run`);
  }
  const links = [...new Set(exposedChains.flat())].filter((id) => exposureOf(id).length > 0);
  const severityOf = (id: string) => worstOf(exposureOf(id).map((found) => found.severity)) as Severity;
  const distance = (id: string) => Math.min(...exposedChains.map((chain) => chain.indexOf(id)).filter((at) => at >= 0));
  // The worst link first; of equally bad ones, the nearest: it is the shortest way in.
  const [fixFirst] = [...links].sort(
    (a, b) => bySeverityDescending(severityOf(a), severityOf(b)) || distance(a) - distance(b),
  ) as [string];
  const severity = worstOf(links.map(severityOf)) as Severity;
  const chains = exposedChains.map((chain) => [accountId, ...chain].join(CHAIN_LINK));
  const problems = links.map(
    (id) =>
      `${id}: ${[...new Set(exposureOf(id).map((found) => `${found.check}:${kindOf(found)} (${found.severity})`))].join(', ')}`,
  );
  return [
    finding({
      accountId,
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
}

/** Whether a domain is one of the organisation's, or a subdomain of one. */
function isOrganisations(domain: string, domains: readonly string[]): boolean {
  return domains.some((own) => domain === own || domain.endsWith(`.${own}`));
}

/**
 * A recovery email outside the organisation's domains that no monitored mailbox holds (a personal mailbox, a former
 * employee's): whoever holds it can reset the login, and nobody here can see how well it is kept. High on a platform
 * whose takeover speaks for the organisation (the catalog's `highImpact`), medium otherwise.
 */
function outsideOrganisation(
  account: Account,
  recovery: RecoveryPaths,
  domains: readonly string[],
  platform: Platform | undefined,
): Finding[] {
  const address = account.recoveryEmail;
  if (address === undefined || domains.length === 0 || recovery.recoveryEmailMonitored === true) return [];
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  if (isOrganisations(domain, domains)) return [];
  return [
    finding({
      accountId: account.id,
      check: 'recovery',
      kind: 'outside-organisation',
      severity: platform?.highImpact === true ? 'high' : 'medium',
      title: 'Its password resets go outside the organisation',
      detail: `The recovery email is on ${domain}, which is not one of the organisation's domains (${domains.join(', ')}), and no monitored mailbox holds it: whoever holds it can reset this login.`,
      remediation:
        "Change the recovery email to a mailbox the organisation holds and monitors (the team's shared mailbox, protected with a second factor).",
      evidence: { recoveryDomain: domain },
    }),
  ];
}

/** A recovery phone shared with other logins: one SIM swap or ported number resets them all. Shown masked. */
function sharedPhone(account: Account, recovery: RecoveryPaths): Finding[] {
  const others = recovery.samePhone;
  if (account.recoveryPhone === undefined || others === undefined || others.length === 0) return [];
  const phone = maskedPhone(account.recoveryPhone);
  return [
    finding({
      accountId: account.id,
      check: 'recovery',
      kind: 'shared-phone',
      severity: 'low',
      title: 'Its recovery phone is shared with other logins',
      detail: `The recovery phone ${phone} is also the recovery phone of ${others.join(', ')}: a SIM swap or a ported number resets them all.`,
      remediation:
        'Give the most important of these logins a recovery phone of their own, or an authenticator app or security key so that a phone alone is not enough.',
      evidence: { recoveryPhone: phone, sharedWith: [...others] },
    }),
  ];
}
