import type { TakeoverChain } from '../check';
import { chainText } from '../checks/recovery';
import { ACCEPTANCE_ENDING_NOTICE_DAYS, type ExceptionOutcome, isAcceptanceEnding } from '../exceptions';
import { type EvidenceValue, type Finding, kindOf } from '../finding';
import { appendTo } from '../grouping';
import { type LifecycleSummary, untrackedLifecycle } from '../lifecycle/reconcile';
import type { AccountResult, IdentityCoverage, MfaEvidence, ScanResult } from '../scan';
import { SEVERITIES, type Severity } from '../severity';
import { byCodeUnits } from '../text-order';
import { type Action, rootCauses } from './actions';

/** The report document (`--format json`); its shape is documented in the README and versioned by `schemaVersion`. */
export interface Report {
  /**
   * 2: reused-password evidence names its group and at most 10 others (`reuseGroups` lists each group once), and a
   * check's outcome may be `pending`. 3: findings a policy exception accepts are marked `accepted`, are counted apart
   * (`summary.accepted`, not in `findings` or `bySeverity`), and `exceptions` says how each exception fared. 4: an
   * account's `exposes` names at most ten logins (nearest first) and `exposesCount` counts them all; a takeover
   * finding's `chains` are lists of ids (`{ logins, hidden? }`), not joined text; `summary.unchecked`. 5: `actions`,
   * ranked; a derived finding names its `rootAction`; an account whose only findings come from another login is
   * `exposed` (its own status and `summary.exposed`), no longer counted as `at-risk`; `summary.byOwner`; findings may
   * carry a `link` to the platform's page where they are fixed.
   */
  readonly schemaVersion: 5;
  readonly generatedAt: string;
  readonly summary: {
    readonly accounts: number;
    /** Findings that need attention: every finding but the accepted ones. */
    readonly findings: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    /** Findings a policy exception accepts (listed in `findings`, marked `accepted`). */
    readonly accepted: number;
    readonly byStatus: Readonly<Record<AccountResult['status'], number>>;
    /** Accounts whose only findings exist because of another login (a mailbox that can reset them): `byStatus.exposed`. */
    readonly exposed: number;
    /**
     * Accounts not fully checked: unreadable, or with a check that could not run, whatever else they have (an account
     * at risk for an old password is still unchecked for the breach the run could not look up).
     */
    readonly unchecked: number;
    /** Accounts by the strength of their MFA evidence, when the mfa check ran. */
    readonly byMfaEvidence?: Readonly<Partial<Record<MfaEvidence, number>>>;
    /** The logins whose fall exposes the most others (their `exposes`), most first: at most three. */
    readonly mostExposing?: readonly { readonly id: string; readonly exposes: number }[];
    /** Each owner's logins and open findings, the owner with the worst open finding first, then the most findings. */
    readonly byOwner: readonly OwnerScore[];
  };
  /** What to do, most first: each action with the findings it fixes (see report/actions). */
  readonly actions: readonly Action[];
  readonly accounts: readonly AccountResult[];
  readonly findings: readonly Finding[];
  /** What changed since the last run; without kept state every finding is `new`. */
  readonly lifecycle: LifecycleSummary;
  /** When the email addresses were checked against the identity breach source: how much of them this run covered. */
  readonly identityCoverage?: IdentityCoverage;
  /** Each group of accounts that share one password, by the group id its reused-password findings name. */
  readonly reuseGroups?: Readonly<Record<string, readonly string[]>>;
  /** The policy's exceptions, each with what it accepted; `stale` ones matched nothing in a run over every account. */
  readonly exceptions?: readonly ExceptionOutcome[];
  /**
   * What this run told escalation contacts (`lifecycle.escalated`, by contact): one digest per contact, the findings
   * it was told of; `to` null for those escalated to nobody (their owners name no `escalateTo`, and there is no
   * platform team, as in the CLI). Absent when nothing was escalated.
   */
  readonly notices?: readonly EscalationDigest[];
  /** Where the store has members (the AWS accounts of an organisation): which were scanned, skipped and failed. */
  readonly members?: MembersSummary;
}

/**
 * The members of the estate a run covered: each scanned one with its logins, each skipped one with why (suspended,
 * excluded), and each that could not be read with why (its logins are unchecked: see `check-error:member`).
 */
export interface MembersSummary {
  readonly scanned: readonly { readonly id: string; readonly name?: string; readonly logins: number }[];
  readonly skipped: readonly { readonly id: string; readonly name?: string; readonly why: string }[];
  readonly failed: readonly { readonly id: string; readonly name?: string; readonly reason: string }[];
}

/** The findings one escalation contact is told of: each with its login, owner, days open and what to do. */
export interface EscalationDigest {
  readonly kind: 'escalation';
  readonly to: string | null;
  readonly findings: readonly {
    readonly id: string;
    readonly accountId: string;
    readonly owner: string | null;
    readonly severity: Severity;
    readonly title: string;
    readonly openDays: number;
    readonly remediation: string;
  }[];
}

/** One owner's line of the scorecard; `owner` null for the logins nobody owns. */
export interface OwnerScore {
  readonly owner: string | null;
  readonly accounts: number;
  /** Accounts at risk in their own right, and exposed through another login. */
  readonly atRisk: number;
  readonly exposed: number;
  /** Open findings (not accepted), and the worst of them. */
  readonly findings: number;
  readonly worst: Severity | null;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

/** How many of the logins that expose the most others the summary names. */
const MOST_EXPOSING = 3;

export function buildReport(
  result: Pick<ScanResult, 'accounts' | 'findings' | 'identityCoverage'> &
    Partial<Pick<ScanResult, 'reuseGroups' | 'exceptions'>> & { readonly members?: MembersSummary },
  generatedAt: Date,
  lifecycle: LifecycleSummary = untrackedLifecycle(result.findings),
): Report {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  let accepted = 0;
  for (const found of result.findings) {
    if (found.accepted) accepted += 1;
    else bySeverity[found.severity] += 1;
  }
  const reuseGroups =
    result.reuseGroups !== undefined && result.reuseGroups.length > 0
      ? Object.fromEntries(result.reuseGroups.map((group) => [group.id, group.members]))
      : undefined;
  const causes = rootCauses(result.accounts, result.findings, reuseGroups);
  const accounts = result.accounts.map((account) =>
    account.status === 'at-risk' && causes.exposed.has(account.id)
      ? { ...account, status: 'exposed' as const }
      : account,
  );
  const findings =
    causes.rootActionOf.size === 0
      ? result.findings
      : result.findings.map((found) => {
          const rootAction = causes.rootActionOf.get(found.id);
          return rootAction === undefined ? found : { ...found, rootAction };
        });
  const byStatus: Record<AccountResult['status'], number> = {
    'at-risk': 0,
    exposed: 0,
    incomplete: 0,
    invalid: 0,
    ok: 0,
  };
  let unchecked = 0;
  for (const account of accounts) {
    byStatus[account.status] += 1;
    if (isUnchecked(account)) unchecked += 1;
  }
  const byMfaEvidence: Partial<Record<MfaEvidence, number>> = {};
  for (const { mfaEvidence } of result.accounts) {
    if (mfaEvidence !== undefined) byMfaEvidence[mfaEvidence] = (byMfaEvidence[mfaEvidence] ?? 0) + 1;
  }
  const mostExposing = result.accounts
    .flatMap((account) => (account.exposesCount ? [{ id: account.id, exposes: account.exposesCount }] : []))
    .sort((a, b) => b.exposes - a.exposes || byCodeUnits(a.id, b.id))
    .slice(0, MOST_EXPOSING);
  return {
    schemaVersion: 5,
    generatedAt: generatedAt.toISOString(),
    summary: {
      accounts: accounts.length,
      findings: result.findings.length - accepted,
      bySeverity,
      accepted,
      byStatus,
      exposed: byStatus.exposed,
      unchecked,
      ...(Object.keys(byMfaEvidence).length > 0 && { byMfaEvidence }),
      ...(mostExposing.length > 0 && { mostExposing }),
      byOwner: ownerScores(accounts, findings),
    },
    actions: causes.actions,
    accounts,
    findings,
    lifecycle,
    ...(result.identityCoverage && { identityCoverage: result.identityCoverage }),
    ...(reuseGroups !== undefined && { reuseGroups }),
    ...(result.exceptions !== undefined && result.exceptions.length > 0 && { exceptions: result.exceptions }),
    ...(result.members !== undefined && { members: result.members }),
    ...(lifecycle.escalated !== undefined &&
      lifecycle.escalated.length > 0 && { notices: escalationDigests(lifecycle.escalated, findings) }),
  };
}

/** The escalations grouped by contact, in the order first told; those to nobody last. */
function escalationDigests(
  escalated: NonNullable<LifecycleSummary['escalated']>,
  findings: readonly Finding[],
): EscalationDigest[] {
  const byId = new Map(findings.map((found) => [found.id, found]));
  const byContact = new Map<string | null, EscalationDigest['findings'][number][]>();
  for (const { id, owner, to, openDays } of escalated) {
    const found = byId.get(id);
    // An escalated finding is one of this run's open ones; one that is not is not told.
    if (found === undefined) continue;
    const { accountId, severity, title, remediation } = found;
    appendTo(byContact, to, { id, accountId, owner, severity, title, openDays, remediation });
  }
  return [...byContact]
    .sort(([a], [b]) => (a === null ? 1 : 0) - (b === null ? 1 : 0))
    .map(([to, told]) => ({ kind: 'escalation', to, findings: told }));
}

/** The members scanned, skipped and failed, for the text formats: one line each, the scanned ones counted. */
export function memberLines(report: Report, text: (value: string) => string): string[] {
  const members = report.members;
  if (members === undefined) return [];
  const named = (member: { readonly id: string; readonly name?: string }) =>
    member.name === undefined ? text(member.id) : `${text(member.id)} (${text(member.name)})`;
  const logins = members.scanned.reduce((sum, member) => sum + member.logins, 0);
  return [
    `${members.scanned.length} scanned, ${logins} login${logins === 1 ? '' : 's'} in all`,
    ...members.failed.map((member) => `Could not be read: ${named(member)}: ${text(member.reason)}`),
    ...members.skipped.map((member) => `Skipped: ${named(member)}: ${text(member.why)}`),
  ];
}

/**
 * The escalation digests, one line per finding under a line per contact, for the text formats' section of their own.
 */
export function escalationLines(report: Report, text: (value: string) => string): string[] {
  return (report.notices ?? []).flatMap(({ to, findings }) => [
    to === null
      ? `To nobody (their owners name no escalateTo, and there is no platform team here): ${findings.length} finding${findings.length === 1 ? '' : 's'}`
      : `To ${text(to)}: ${findings.length} finding${findings.length === 1 ? '' : 's'}`,
    ...findings.map(
      (each) =>
        `  ${text(each.accountId)} (owner ${each.owner === null ? 'nobody' : text(each.owner)}): ${text(each.title)} (${each.severity}), open ${each.openDays} days: ${text(each.remediation)}`,
    ),
  ]);
}

/** The scorecard: each owner's logins and open findings, worst owner first (worst finding, then most findings). */
export function ownerScores(accounts: readonly AccountResult[], findings: readonly Finding[]): OwnerScore[] {
  type Score = { -readonly [K in keyof OwnerScore]: OwnerScore[K] } & { bySeverity: Record<Severity, number> };
  const scores = new Map<string | null, Score>();
  const ownerOf = new Map<string, string | null>();
  const scoreOf = (owner: string | null): Score => {
    let score = scores.get(owner);
    if (score === undefined) {
      score = {
        owner,
        accounts: 0,
        atRisk: 0,
        exposed: 0,
        findings: 0,
        worst: null,
        bySeverity: Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>,
      };
      scores.set(owner, score);
    }
    return score;
  };
  for (const account of accounts) {
    ownerOf.set(account.id, account.owner);
    const score = scoreOf(account.owner);
    score.accounts += 1;
    if (account.status === 'at-risk') score.atRisk += 1;
    if (account.status === 'exposed') score.exposed += 1;
  }
  for (const found of findings) {
    if (found.accepted !== undefined) continue;
    const score = scoreOf(ownerOf.get(found.accountId) ?? null);
    score.findings += 1;
    score.bySeverity[found.severity] += 1;
  }
  // The worst of each owner's, from the counts: a pass over the severities, not an array per finding.
  for (const score of scores.values())
    score.worst = SEVERITIES.find((severity) => score.bySeverity[severity] > 0) ?? null;
  const rank = (score: Score) => (score.worst === null ? SEVERITIES.length : SEVERITIES.indexOf(score.worst));
  return [...scores.values()].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      b.findings - a.findings ||
      (a.owner === null ? 1 : 0) - (b.owner === null ? 1 : 0) ||
      byCodeUnits(a.owner ?? '', b.owner ?? ''),
  );
}

/**
 * Whether an account was not fully checked: it could not be read, or a check selected for it could not run. Its other
 * findings do not make it checked: a gate or a headline that counted it only as "at risk" would pass the lookup that
 * failed.
 */
export function isUnchecked(account: Pick<AccountResult, 'status' | 'checks'>): boolean {
  return account.status === 'invalid' || Object.values(account.checks).includes('error');
}

/** `8 accounts (5 at risk, 1 invalid, 2 ok); 14 findings: 3 critical, 6 high, 4 medium, 1 low; 1 accepted` */
export function summaryLine(report: Report): string {
  const { accounts, findings, bySeverity, byStatus, accepted } = report.summary;
  const statuses = (['at-risk', 'exposed', 'incomplete', 'invalid', 'ok'] as const)
    .filter((status) => byStatus[status] > 0)
    .map((status) => `${byStatus[status]} ${status.replace('-', ' ')}`);
  const severities = SEVERITIES.filter((severity) => bySeverity[severity] > 0).map(
    (severity) => `${bySeverity[severity]} ${severity}`,
  );
  const accountPart = `${accounts} account${accounts === 1 ? '' : 's'}${statuses.length ? ` (${statuses.join(', ')})` : ''}`;
  const findingPart = `${
    findings === 0 ? 'no findings' : `${findings} finding${findings === 1 ? '' : 's'}: ${severities.join(', ')}`
  }${accepted > 0 ? `; ${accepted} accepted` : ''}`;
  const { tracked, resolved, trend: _trend, escalated = [], ...changes } = report.lifecycle;
  const changePart = Object.entries(changes)
    .filter(([change, ids]) => ids.length > 0 && change !== 'unchanged' && change !== 'accepted')
    .map(([change, ids]) => `${ids.length} ${change}`);
  if (resolved.length > 0) changePart.push(`${resolved.length} fixed`);
  const toNobody = escalated.filter((each) => each.to === null).length;
  if (escalated.length > 0) {
    changePart.push(
      `${escalated.length} escalated${toNobody > 0 ? ` (${toNobody} to nobody: their owners name no escalateTo)` : ''}`,
    );
  }
  const since = tracked && changePart.length > 0 ? `; since the last run: ${changePart.join(', ')}` : '';
  return `${accountPart}; ${findingPart}${since}`;
}

const CHANGE_LABELS = {
  new: 'NEW',
  worsened: 'WORSE',
  reminded: 'REMINDER',
  unchanged: '-',
  reopened: 'REOPENED',
  accepted: 'ACCEPTED',
} as const;

/**
 * `NEW`, `WORSE`, `REOPENED`, `REMINDER`, `ACCEPTED` or `-` for each finding of a report whose lifecycle is tracked: one map for the report,
 * not a search of every list per finding (which at 150,000 findings would be billions of comparisons).
 */
export function changeLabels(report: Report): (id: string) => string {
  const labels = new Map<string, string>();
  for (const change of ['accepted', 'unchanged', 'reminded', 'worsened', 'reopened', 'new'] as const) {
    for (const id of report.lifecycle[change]) labels.set(id, CHANGE_LABELS[change]);
  }
  return (id) => labels.get(id) ?? '-';
}

/**
 * What a person reads about the policy's exceptions, one line each, in the report's text formats: each accepted
 * finding ("Accepted until 2027-03-31: …"), then each exception that needs the policy's author: ones over their cap
 * for a finding's severity now, stale ones and expired ones. `text` makes outside text safe for the format.
 */
export function acceptanceLines(
  report: Report,
  text: (value: string) => string,
): { readonly accepted: string[]; readonly exceptions: string[] } {
  const generatedAt = new Date(report.generatedAt);
  const accepted = report.findings.flatMap((found) =>
    found.accepted === undefined
      ? []
      : [
          `Accepted until ${found.accepted.expires}${isAcceptanceEnding(found.accepted, generatedAt) ? ` (ends within ${ACCEPTANCE_ENDING_NOTICE_DAYS} days)` : ''}: ${text(found.accountId)} ${found.check} (${found.severity}): ${text(found.title)}; by ${text(found.accepted.acceptedBy)}: ${text(found.accepted.reason)}`,
        ],
  );
  const exceptions = (report.exceptions ?? []).flatMap((exception) => {
    const which = `${text(exception.account)} ${text(exception.check)} (accepted by ${text(exception.acceptedBy)})`;
    if (exception.overCap !== undefined) {
      const [first] = exception.overCap;
      const count = exception.overCap.length;
      return [
        `Over its cap: ${which} holds until ${exception.expires}, longer than a ${first?.severity} finding may be accepted (${first?.maxDays} days, exceptionMaxDays.${first?.severity}); ${count === 1 ? `${text(first?.finding ?? '')} stays` : `${count} findings it covers stay`} open: shorten it, or fix ${count === 1 ? 'it' : 'them'}`,
      ];
    }
    if (exception.stale)
      return [`Matched no finding: ${which}; the risk it accepted is gone: remove it from the policy`];
    if (exception.status === 'expired') {
      return [`Expired on ${exception.expires}: ${which}; what it covered is open again: renew or remove it`];
    }
    return [];
  });
  return { accepted, exceptions };
}

/**
 * The takeover paths, one line each, for the text formats' section of their own: each login a chain reaches through
 * an exposed link, with the chains and the link to fix first; then the logins whose fall exposes the most others.
 */
export function takeoverLines(report: Report, text: (value: string) => string): string[] {
  const paths = takeoverPaths(report).map(
    ({ accountId, severity, chains, fixFirst }) =>
      `${text(accountId)} (${severity}): ${chains.map((chain) => text(chainText(chain))).join('; ')}; fix ${text(fixFirst)} first`,
  );
  const radius = (report.summary.mostExposing ?? []).map(
    ({ id, exposes }) => `${text(id)} can reset ${exposes} other login${exposes === 1 ? '' : 's'}`,
  );
  return paths.length === 0 ? [] : [...paths, ...(radius.length > 0 ? [`Most exposing: ${radius.join('; ')}`] : [])];
}

/** Each login a takeover chain reaches, with its chains (the login first, then each login that can reset it). */
export function takeoverPaths(report: Report): {
  readonly accountId: string;
  readonly severity: Severity;
  readonly chains: readonly TakeoverChain[];
  readonly fixFirst: string;
}[] {
  return report.findings.flatMap((found) => {
    if (!isTakeoverPath(found)) return [];
    return [
      {
        accountId: found.accountId,
        severity: found.severity,
        chains: chainsOf(found.evidence.chains),
        fixFirst: String(found.evidence.fixFirst),
      },
    ];
  });
}

/** The chains a takeover finding's evidence holds, read by their structure (never by splitting text). */
function chainsOf(value: EvidenceValue | undefined): TakeoverChain[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((chain: unknown) => {
    const { logins, hidden } = (chain ?? {}) as { logins?: unknown; hidden?: unknown };
    if (!Array.isArray(logins) || !logins.every((id) => typeof id === 'string')) return [];
    return [typeof hidden === 'number' ? { logins, hidden } : { logins }];
  });
}

/** A recovery finding that names chains (not one about where the resets go). */
function isTakeoverPath(found: Finding): boolean {
  return found.check === 'recovery' && kindOf(found) === 'exposed-chain' && found.accepted === undefined;
}

/** How many actions the text formats and the HTML show before "and N more": the JSON and CSV carry them all. */
export const TOP_ACTIONS = 10;

/** The logins an action's line names before "and N more". */
const NAMED_EXPOSED = 5;

/** An action as the text formats show it: its line, what it fixes, and its link (https, from the catalog). */
export interface ActionText {
  readonly head: string;
  readonly fixes: string;
  readonly link?: string;
}

/**
 * The top actions in words, made safe by `text` for the format: `CRITICAL Fix press-office/mailbox: … (owner:
 * press-office)`, then what it fixes, naming the first logins it exposes; `more` counts the ones not shown.
 */
export function actionTexts(
  all: readonly Action[],
  text: (value: string) => string,
  limit = TOP_ACTIONS,
): { readonly actions: ActionText[]; readonly more: number } {
  const actions = all.slice(0, limit).map((action) => {
    const count = action.fixes.length;
    const exposed = action.exposes.length;
    const named = action.exposes.slice(0, NAMED_EXPOSED).map(text).join(', ');
    const others = exposed > NAMED_EXPOSED ? ` and ${exposed - NAMED_EXPOSED} more` : '';
    return {
      head: `${action.severity.toUpperCase()} ${text(action.title)} (${action.owner === null ? 'no owner' : `owner: ${text(action.owner)}`})`,
      fixes: `fixes ${count} finding${count === 1 ? '' : 's'}${exposed === 0 ? '' : `, on it and on the ${exposed} login${exposed === 1 ? '' : 's'} it exposes: ${named}${others}`}`,
      ...(action.link !== undefined && { link: action.link }),
    };
  });
  return { actions, more: Math.max(0, all.length - limit) };
}
