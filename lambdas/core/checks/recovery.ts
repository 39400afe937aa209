import type { Account } from '../account';
import {
  type Check,
  CheckPendingError,
  CheckUnavailableError,
  type EstateView,
  type FindingDraft,
  type LinkVerdict,
  type RecoveryPaths,
  type Takeover,
  type TakeoverChain,
} from '../check';
import { asciiDomain } from '../email-address';
import { kindOf } from '../finding';
import { maskedPhone } from '../personal-data';
import { type Severity, worstOf } from '../severity';

/** Between the logins of a chain as text writes it: `press-office/x <- press-office/mailbox`. */
export const CHAIN_LINK = ' <- ';

/** How a login stands as a link, from what the estate found on it. */
function linkVerdict(estate: EstateView, id: string): LinkVerdict {
  const severity = worstOf(
    estate
      .findingsOf(id)
      .filter((found) => estate.links.opens(found))
      .map((found) => found.severity),
  );
  if (severity !== undefined) return { severity };
  const outcomes = estate.outcomesOf(id);
  return outcomes === undefined || !estate.links.judgingChecks.some((check) => outcomes[check] !== undefined)
    ? 'unjudged'
    : 'safe';
}

/**
 * A chain as text: each login, then `<-` and the login that can reset it. An id that could be read as more than one
 * link (it holds the separator) is quoted, so that no id can draw a chain that is not there.
 */
export function chainText(chain: TakeoverChain): string {
  const id = (login: string) => (login.includes('<-') || login.includes('"') ? JSON.stringify(login) : login);
  const logins = chain.logins.map(id);
  if (chain.hidden === undefined) return logins.join(CHAIN_LINK);
  const last = logins.pop() as string;
  return [...logins, `(${chain.hidden} more)`, last].join(CHAIN_LINK);
}

/**
 * Can this login be taken over through another? A login is only as safe as the mailbox that can reset it: the X
 * account with a strong password and MFA falls with the shared mailbox its resets go to. Any exposed login that can
 * reach it, at any depth, makes a finding, as severe as the worst exposure on the way, naming the worst link to fix
 * first and a few chains to it (evidence/recovery judges the whole estate at once); never a secret.
 */
export const recoveryCheck: Check = {
  id: 'recovery',
  kinds: {
    'exposed-chain': {
      severities: ['low', 'medium', 'high', 'critical'],
      rule: 'as the worst exposure on the way',
      severityOf: (draft) => draft.evidence?.worstExposure as Severity,
    },
    'outside-organisation': {
      severities: ['medium', 'high'],
      rule: "high on a platform whose takeover speaks for the organisation (the catalog's highImpact), medium otherwise",
      severityOf: (_draft, account, { platforms }) =>
        platforms.find(account.platform)?.highImpact === true ? 'high' : 'medium',
    },
    'shared-phone': 'low',
    'no-recovery-recorded': 'low',
  },
  fixes: {
    'exposed-chain': { does: 'fix the login that can reset it' },
    'outside-organisation': { does: 'move its recovery email into the organisation' },
    'shared-phone': { does: 'give it a recovery phone of its own' },
    'no-recovery-recorded': { does: 'record where its resets go' },
  },
  // A chain exists because of the link to fix first: fixing that login fixes (or shortens) the chain.
  derived: {
    kinds: ['exposed-chain'],
    rootOf: (found) => (typeof found.evidence.fixFirst === 'string' ? found.evidence.fixFirst : undefined),
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
      ...outsideOrganisation(account, evidence.recovery, policy.organisationDomains),
      ...sharedPhone(account, evidence.recovery),
      // Asked for only where the policy names the organisation's domains: an estate that records where its resets go.
      ...(platform !== undefined &&
      policy.organisationDomains.length > 0 &&
      account.email === undefined &&
      account.recoveryEmail === undefined &&
      account.recoveryPhone === undefined
        ? [
            {
              kind: 'no-recovery-recorded',
              title: 'No recovery method is recorded',
              detail: `Nothing says where ${platform.name} sends this login's password resets, so nobody can tell who could take it over that way.`,
              remediation:
                "Record the login's recovery email (recoveryEmail, or its email) and phone (recoveryPhone), as set on the platform.",
            },
          ]
        : []),
    ];
    const takeover = evidence.recovery.graph.takeoverOf(account.id, estate, (id) => linkVerdict(estate, id));
    if (takeover.kind === 'pending') {
      if (own.length === 0)
        throw new CheckPendingError(`${takeover.link}, which can reset it, was not checked in this run`);
      return own;
    }
    return takeover.kind === 'exposed' ? [exposedChainFinding(takeover, estate), ...own] : own;
  },
};

/** The way in through exposed links, as one finding: the worst link to fix first, a few chains, each link's problem. */
function exposedChainFinding(takeover: Extract<Takeover, { kind: 'exposed' }>, estate: EstateView): FindingDraft {
  const { severity, fixFirst, chains } = takeover;
  const exposureOf = (id: string) => estate.findingsOf(id).filter((found) => estate.links.opens(found));
  const links = [...new Set(chains.flatMap((chain) => chain.logins.slice(1)))].filter(
    (id) => exposureOf(id).length > 0,
  );
  const problems = links.map(
    (id) =>
      `${id}: ${[
        ...new Set(
          exposureOf(id).map(
            (found) =>
              `${found.check}:${kindOf(found)} (${found.severity}${found.accepted ? `, accepted until ${found.accepted.expires}` : ''})`,
          ),
        ),
      ].join(', ')}`,
  );
  const chainTexts = chains.map(chainText);
  return {
    kind: 'exposed-chain',
    title: 'Can be taken over through another login',
    detail: `Whoever holds ${fixFirst} can reset this login: ${chainTexts.join('; ')}. On the way: ${problems.join('; ')}.`,
    remediation: `Fix ${fixFirst} first (${exposureOf(fixFirst)
      .map((found) => found.title.toLowerCase())
      .join(
        '; ',
      )}): it can reset this login. Then fix the other links named, or move this login's recovery email to a mailbox that is well protected.`,
    evidence: {
      chains: chains.map((chain) => ({ ...chain, logins: [...chain.logins] })),
      fixFirst,
      links: problems,
      worstExposure: severity,
    },
  };
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
function outsideOrganisation(account: Account, recovery: RecoveryPaths, domains: readonly string[]): FindingDraft[] {
  const address = account.recoveryEmail;
  if (address === undefined || domains.length === 0 || recovery.recoveryEmailMonitored === true) return [];
  // Both in their ASCII form: the Unicode and punycode spellings of an IDN domain are one domain.
  const domain = asciiDomain(address.slice(address.lastIndexOf('@') + 1));
  if (isOrganisations(domain, domains.map(asciiDomain))) return [];
  return [
    {
      kind: 'outside-organisation',
      title: 'Its password resets go outside the organisation',
      detail: `The recovery email is on ${domain}, which is not one of the organisation's domains (${domains.join(', ')}), and no monitored mailbox holds it: whoever holds it can reset this login.`,
      remediation:
        "Change the recovery email to a mailbox the organisation holds and monitors (the team's shared mailbox, protected with a second factor).",
      evidence: { recoveryDomain: domain },
    },
  ];
}

/** A recovery phone shared with other logins: one SIM swap or ported number resets them all. Shown masked. */
function sharedPhone(account: Account, recovery: RecoveryPaths): FindingDraft[] {
  const others = recovery.samePhone;
  if (account.recoveryPhone === undefined || others === undefined || others.count === 0) return [];
  const phone = maskedPhone(account.recoveryPhone);
  const unnamed = others.count - others.ids.length;
  return [
    {
      kind: 'shared-phone',
      title: 'Its recovery phone is shared with other logins',
      detail: `The recovery phone ${phone} is also the recovery phone of ${others.ids.join(', ')}${unnamed > 0 ? ` and ${unnamed} other login${unnamed === 1 ? '' : 's'}` : ''}: a SIM swap or a ported number resets them all.`,
      remediation:
        'Give the most important of these logins a recovery phone of their own, or an authenticator app or security key so that a phone alone is not enough.',
      evidence: { recoveryPhone: phone, sharedWith: [...others.ids], sharedWithCount: others.count },
    },
  ];
}
