import { type Acceptance, isAcceptanceEnding } from '../exceptions';
import type { CheckId, Finding } from '../finding';
import { bySeverityDescending, type Severity } from '../severity';
import type { FindingState } from './lifecycle-state';

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
  /** The states to write, once the notifications have been delivered. */
  readonly next: readonly FindingState[];
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

  for (const found of input.findings) {
    const before = previous.get(found.id);
    const open = before?.status === 'open' ? before : undefined;
    const kept = {
      id: found.id,
      accountId: found.accountId,
      check: found.check,
      owner: input.checkedAccounts.get(found.accountId) ?? open?.owner ?? null,
      title: found.title,
      severity: found.severity,
      status: 'open',
      firstSeen: open?.firstSeen ?? nowIso,
      lastSeen: nowIso,
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
    next.push({ ...kept, ...(lastNotified !== undefined && { lastNotified }) });
  }

  const resolved: FindingState[] = [];
  for (const state of input.previous) {
    if (state.status !== 'open' || changes.has(state.id)) continue;
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
    },
    changes,
    notify,
    reopened,
    ending,
    resolved,
    next,
  };
}

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
