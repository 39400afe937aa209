import { type EvidenceLevel, isWeakerEvidence } from '../evidence-strength';
import { type Acceptance, isAcceptanceEnding } from '../exceptions';
import { type CheckId, type Finding, kindOf, worstFirst } from '../finding';
import { memberOfLogin } from '../inventory';
import type { CheckOutcome, ScanResult } from '../scan';
import { bySeverityDescending, type Severity, worstOf } from '../severity';
import { type FindingState, findingOfState } from './lifecycle-state';
import { type TrendPoint, trendOf } from './trend';

/**
 * `reopened`: a policy exception accepted it and no longer does (it expired, or was removed); `accepted`: an exception
 * accepts it this run, so no one is told of it.
 */
export type Change = 'new' | 'worsened' | 'reminded' | 'unchanged' | 'reopened' | 'accepted';

export interface LifecycleSummary {
  /** False when no state was kept (the CLI without --state): every finding is then new. */
  readonly tracked: boolean;
  readonly new: readonly string[];
  readonly worsened: readonly string[];
  readonly reminded: readonly string[];
  readonly unchanged: readonly string[];
  readonly reopened: readonly string[];
  readonly accepted: readonly string[];
  readonly resolved: readonly string[];
  /** Open findings not found this run that could not be called fixed (see `ReconcileOutcome.unconfirmed`). */
  readonly unconfirmed?: readonly string[];
  /** Open findings by severity over the runs the kept state knows of (see trend.ts), when it knows of two or more. */
  readonly trend?: readonly TrendPoint[];
  /**
   * Findings told this run to their owner's escalation contact (`to`; null: the owner names none and there is no
   * fallback, so nobody was told), once per open period, with the days they had been open.
   */
  readonly escalated?: readonly {
    readonly id: string;
    readonly owner: string | null;
    readonly to: string | null;
    readonly openDays: number;
  }[];
}

export interface ReconcileInput {
  /** This family's remembered findings. */
  readonly previous: readonly FindingState[];
  /** This run's findings. */
  readonly findings: readonly Finding[];
  /** Owner of each account this run checked; only these accounts' findings can be resolved. */
  readonly checkedAccounts: ReadonlyMap<string, string | null>;
  /** A full run (the whole inventory): accounts no longer in it are retired, and their findings resolved. */
  readonly fullRun: boolean;
  /**
   * Checks whose findings depend on other accounts (reuse): a run that did not see the whole estate cannot tell that
   * one is fixed, so it resolves none of them; they stay open as they were.
   */
  readonly estateWideChecks?: ReadonlySet<CheckId>;
  readonly now: Date;
  readonly reminderDays: Readonly<Record<Severity, number>>;
  /** Days a finding of each severity may stay open before it is escalated, once (the policy's `escalation`). */
  readonly escalationDays?: Readonly<Partial<Record<Severity, number>>>;
  /**
   * Each checked account's check outcomes this run: a finding is fixed only where its check ran (a check that could
   * not run, or was not selected, says nothing of it). Without it, every checked account counts as checked by every
   * check.
   */
  readonly outcomesOf?: (accountId: string) => Readonly<Partial<Record<CheckId, CheckOutcome>>> | undefined;
  /** How strong the evidence was that a check judged an account on this run, where it varies (see evidence-strength). */
  readonly evidenceLevelOf?: (accountId: string, check: CheckId) => EvidenceLevel | undefined;
  /**
   * The members of the estate this run could not read (see `InventoryEntry.unreadableMember`): their logins were not
   * checked, so their open findings are held open (unconfirmed), never fixed for being absent from a full run.
   */
  readonly unreadableMembers?: ReadonlySet<string>;
}

export interface ReconcileOutcome {
  readonly summary: LifecycleSummary;
  /** Each current finding's change since the last run. */
  readonly changes: ReadonlyMap<string, Change>;
  /** The findings to tell owners about: new, worsened, reopened, or due a reminder. */
  readonly notify: readonly Finding[];
  /** For each reopened finding, the acceptance that ended. */
  readonly reopened: ReadonlyMap<string, Acceptance>;
  /** Accepted findings whose acceptance ends within the notice window, not yet told for this expiry date. */
  readonly ending: readonly Finding[];
  /** Findings fixed since the last run, to tell their owners once. */
  readonly resolved: readonly FindingState[];
  /**
   * Open, unaccepted findings past their severity's escalation days that were not escalated in this open period: to
   * tell their owners' escalation contacts, once, with how many days they have been open.
   */
  readonly escalate: readonly { readonly finding: Finding; readonly openDays: number }[];
  /** The states to write, once the notifications have been delivered. */
  readonly next: readonly FindingState[];
  /**
   * Open findings this run did not find but cannot call fixed (their check could not run on the account, or ran on
   * weaker evidence than they were found on): they stay open, and are reported again, saying why.
   */
  readonly unconfirmed: readonly Finding[];
}

const DAY_MS = 86_400_000;

/**
 * Compares this run's findings with what the family remembers. A finding is notified when it is new (or back after
 * being fixed), when its severity rose, when an acceptance of it ended, and when it has been open past its severity's
 * reminder interval; an accepted one is not, except once when its acceptance is about to end; one that no longer
 * appears on an account this run checked is resolved. Pure: the caller saves `next` only after delivering.
 */
export function reconcile(input: ReconcileInput): ReconcileOutcome {
  const nowIso = input.now.toISOString();
  const previous = new Map(input.previous.map((state) => [state.id, state]));
  const changes = new Map<string, Change>();
  const next: FindingState[] = [];
  const notify: Finding[] = [];

  const reopened = new Map<string, Acceptance>();
  const ending: Finding[] = [];
  const escalate: { finding: Finding; openDays: number }[] = [];
  const found = new Set(input.findings.map((each) => each.id));
  // What this run can say of each open finding it did not find on an account it checked: judged once, used twice.
  const verdicts = new Map<string, Verdict>();
  for (const state of input.previous) {
    if (state.status !== 'open' || found.has(state.id)) continue;
    if (input.checkedAccounts.has(state.accountId)) verdicts.set(state.id, verdictOn(state, input));
    else if (input.unreadableMembers?.has(memberOfLogin(state.accountId))) {
      verdicts.set(state.id, {
        kind: 'unconfirmed',
        why: `${memberOfLogin(state.accountId)}, where it is kept, could not be read`,
      });
    }
  }
  const unconfirmed = input.previous.flatMap((state) => {
    const verdict = verdicts.get(state.id);
    return verdict?.kind === 'unconfirmed' && state.accepted === undefined
      ? [unconfirmedFinding(state, verdict.why)]
      : [];
  });
  const unconfirmedIds = new Set(unconfirmed.map((each) => each.id));

  for (const found of [...input.findings, ...unconfirmed]) {
    const before = previous.get(found.id);
    const open = before?.status === 'open' ? before : undefined;
    const held = unconfirmedIds.has(found.id);
    const level = held ? open?.evidenceLevel : input.evidenceLevelOf?.(found.accountId, found.check);
    const kept = {
      id: found.id,
      accountId: found.accountId,
      check: found.check,
      owner: input.checkedAccounts.get(found.accountId) ?? open?.owner ?? null,
      title: found.title,
      severity: found.severity,
      status: 'open',
      firstSeen: open?.firstSeen ?? nowIso,
      // A finding held open was not seen: when it last was stays as it was.
      lastSeen: held ? (open?.lastSeen ?? nowIso) : nowIso,
      ...(level !== undefined && { evidenceLevel: level }),
    } as const;
    if (found.accepted !== undefined) {
      // Accepted: told to no one, but remembered (with the acceptance), so that it is neither "fixed" nor "new" later.
      changes.set(found.id, 'accepted');
      const { expires } = found.accepted;
      const endingSoon = isAcceptanceEnding(found.accepted, input.now) && open?.endingToldFor !== expires;
      if (endingSoon) ending.push(found);
      // Remembered only for this expiry date: an extended acceptance is told again when it nears its new end.
      const endingToldFor = endingSoon || open?.endingToldFor === expires ? expires : undefined;
      next.push({
        ...kept,
        ...(open?.lastNotified !== undefined && { lastNotified: open.lastNotified }),
        accepted: found.accepted,
        ...(endingToldFor !== undefined && { endingToldFor }),
      });
      continue;
    }
    const change = open?.accepted !== undefined ? 'reopened' : changeOf(found, open, input);
    if (change === 'reopened') reopened.set(found.id, open?.accepted as Acceptance);
    changes.set(found.id, change);
    const notified = change !== 'unchanged';
    if (notified) notify.push(found);
    const lastNotified = notified ? nowIso : open?.lastNotified;
    // An ended acceptance starts a new open period: the days accepted were the policy's, not the owner's.
    const openSince = change === 'reopened' ? nowIso : (open?.openSince ?? kept.firstSeen);
    const escalatedBefore = change === 'reopened' ? undefined : open?.escalatedAt;
    // Only where the policy escalates this severity and it was not escalated yet: a run without escalation pays nothing.
    const allowed = escalatedBefore === undefined ? input.escalationDays?.[found.severity] : undefined;
    const openDays = allowed === undefined ? 0 : Math.floor((input.now.getTime() - Date.parse(openSince)) / DAY_MS);
    const escalating = allowed !== undefined && openDays > allowed;
    if (escalating) escalate.push({ finding: found, openDays });
    const escalatedAt = escalating ? nowIso : escalatedBefore;
    next.push({
      ...kept,
      ...(lastNotified !== undefined && { lastNotified }),
      ...(openSince !== kept.firstSeen && { openSince }),
      ...(escalatedAt !== undefined && { escalatedAt }),
    });
  }

  const resolved: FindingState[] = [];
  for (const state of input.previous) {
    if (state.status !== 'open' || changes.has(state.id)) continue;
    // Not found on an account this run checked, but its check did not decide (not selected, or pending by design):
    // nothing new is known of it.
    if (verdicts.get(state.id)?.kind === 'unknown') {
      next.push(state);
      continue;
    }
    const checked = input.checkedAccounts.has(state.accountId);
    if (!checked && !input.fullRun) continue;
    if (!input.fullRun && input.estateWideChecks?.has(state.check)) continue;
    const fixed: FindingState = {
      ...state,
      ...(checked && { owner: input.checkedAccounts.get(state.accountId) ?? state.owner }),
      status: 'resolved',
      resolvedAt: nowIso,
    };
    resolved.push(fixed);
    next.push(fixed);
  }

  const ids = (change: Change) => [...changes].filter(([, each]) => each === change).map(([id]) => id);
  // What was known before, with this run's word on each finding: the fixed ones the state still keeps count too.
  const known = new Map(input.previous.map((state) => [state.id, state]));
  for (const state of next) known.set(state.id, state);
  const trend = trendOf(known.values(), nowIso);
  return {
    summary: {
      tracked: true,
      new: ids('new'),
      worsened: ids('worsened'),
      reminded: ids('reminded'),
      unchanged: ids('unchanged'),
      reopened: ids('reopened'),
      accepted: ids('accepted'),
      resolved: resolved.map((state) => state.id),
      ...(unconfirmed.length > 0 && { unconfirmed: unconfirmed.map((each) => each.id) }),
      ...(trend.length > 0 && { trend }),
    },
    changes,
    notify,
    reopened,
    ending,
    resolved,
    escalate,
    next,
    unconfirmed,
  };
}

/**
 * What this run can say of an open finding it did not find on an account it checked: `fixed`, when the check that
 * decides it ran there (for a check-error, the check that could not run) on evidence at least as strong as it was
 * found on; `unknown`, when that check did not decide (not selected this run, or pending by design); `unconfirmed`,
 * with why, when it could not run or ran on weaker evidence. Without outcomes, every check counts as having run.
 */
type Verdict = { readonly kind: 'fixed' | 'unknown' } | { readonly kind: 'unconfirmed'; readonly why: string };

function verdictOn(state: FindingState, input: ReconcileInput): Verdict {
  if (input.outcomesOf === undefined || state.check === 'invalid-secret') return { kind: 'fixed' };
  const outcomes = input.outcomesOf(state.accountId);
  if (state.check === 'check-error') {
    return outcomes?.[kindOf(state) as CheckId] === undefined ? { kind: 'unknown' } : { kind: 'fixed' };
  }
  const outcome = outcomes?.[state.check];
  if (outcome === undefined || outcome === 'pending') return { kind: 'unknown' };
  if (outcome === 'error') return { kind: 'unconfirmed', why: 'the check could not run' };
  const was = state.evidenceLevel;
  const now = input.evidenceLevelOf?.(state.accountId, state.check);
  if (was !== undefined && now !== undefined && isWeakerEvidence(now, was)) {
    return {
      kind: 'unconfirmed',
      why: `this run's evidence (${EVIDENCE_WORDS[now]}) is weaker than what it was found on (${EVIDENCE_WORDS[was]})`,
    };
  }
  return { kind: 'fixed' };
}

const EVIDENCE_WORDS: Readonly<Record<EvidenceLevel, string>> = {
  none: 'none',
  stale: 'an out-of-date attestation',
  attested: "the owner's attestation",
  vault: 'a working TOTP seed',
  verified: "the identity provider's answer",
};

/** A finding held open, as the report shows it: what it was, and why it is not called fixed. */
function unconfirmedFinding(state: FindingState, why: string): Finding {
  const since = state.lastSeen.slice(0, 10);
  return findingOfState(state, {
    detail: `Last found on ${since}; not found this run, but ${why}, so it is not confirmed fixed and stays open.`,
    remediation:
      state.evidenceLevel === undefined
        ? 'Fix what stops the check and scan again; until then treat this finding as open.'
        : `Confirm the fix with evidence at least as strong as before (${EVIDENCE_WORDS[state.evidenceLevel]}): ${CONFIRM[state.evidenceLevel]}.`,
    evidence: {
      unconfirmed: why,
      lastFound: since,
      ...(state.evidenceLevel !== undefined && { foundOn: state.evidenceLevel }),
    },
  });
}

/** How to give a check back the evidence a finding was found on. */
const CONFIRM: Readonly<Record<EvidenceLevel, string>> = {
  none: 'scan again',
  stale: 'record a fresh attestation',
  attested: 'record a fresh attestation (mfa.attestedAt, and mfa.methods listing the factors now registered)',
  vault: 'store the working TOTP seed in the secret again',
  verified: 'make sure the identity provider is configured and can be asked, and scan again',
};

function changeOf(found: Finding, open: FindingState | undefined, input: ReconcileInput): Change {
  if (open === undefined) return 'new';
  if (bySeverityDescending(found.severity, open.severity) < 0) return 'worsened';
  if (open.lastNotified === undefined) return 'new';
  const due = Date.parse(open.lastNotified) + input.reminderDays[found.severity] * DAY_MS;
  return input.now.getTime() >= due ? 'reminded' : 'unchanged';
}

/** The lifecycle when no state is kept: every finding is new (but the accepted ones), nothing is resolved. */
export function untrackedLifecycle(findings: readonly Finding[]): LifecycleSummary {
  return {
    tracked: false,
    new: findings.flatMap((found) => (found.accepted ? [] : [found.id])),
    worsened: [],
    reminded: [],
    unchanged: [],
    reopened: [],
    accepted: findings.flatMap((found) => (found.accepted ? [found.id] : [])),
    resolved: [],
  };
}

/**
 * The scan's accounts and findings with the findings held open added: each is a finding of its account again (its
 * check failed, the account at risk), so that every count, gate and format shows it as open.
 */
export function withUnconfirmed<R extends Pick<ScanResult, 'accounts' | 'findings'>>(
  result: R,
  unconfirmed: readonly Finding[],
): R {
  if (unconfirmed.length === 0) return result;
  const byAccount = new Map<string, Finding[]>();
  for (const found of unconfirmed) {
    const list = byAccount.get(found.accountId);
    if (list) list.push(found);
    else byAccount.set(found.accountId, [found]);
  }
  const accounts = result.accounts.map((account) => {
    const held = byAccount.get(account.id);
    if (held === undefined) return account;
    const checks = { ...account.checks };
    for (const found of held) if (checks[found.check] !== 'error') checks[found.check] = 'failed';
    const worst = worstOf([...(account.worstSeverity ? [account.worstSeverity] : []), ...held.map((f) => f.severity)]);
    return { ...account, status: 'at-risk' as const, worstSeverity: worst ?? null, checks };
  });
  const findings = [...result.findings, ...unconfirmed].sort(worstFirst);
  return { ...result, accounts, findings };
}
