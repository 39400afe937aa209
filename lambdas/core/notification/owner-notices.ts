import type { Acceptance } from '../exceptions';
import type { Finding } from '../finding';
import type { FindingState } from '../lifecycle/lifecycle-state';
import type { Change } from '../lifecycle/reconcile';
import { type Action, actionId } from '../report/actions';
import type { Report } from '../report/report';
import { type Severity, worstOf } from '../severity';

/** The owner findings are sent to when nobody owns the login: only unfiltered subscriptions (the platform team) get them. */
export const UNOWNED = 'unowned';

/**
 * The escalation contact of an owner who names none, on AWS: messages to it reach only the subscriptions no owner
 * filters (the platform team's).
 */
export const PLATFORM_TEAM = 'platform-team';

/**
 * One thing to tell an owner: a finding that needs attention (with what changed, and for a reopened one the acceptance
 * that ended), one fixed since the last run, or an accepted one whose acceptance ends soon.
 */
export type NoticeItem =
  | {
      readonly finding: Finding;
      readonly change?: Change;
      readonly endedAcceptance?: Acceptance;
      /** For a derived finding whose root is one of this owner's actions: that action (its fix is told there). */
      readonly fixedBy?: Action;
    }
  | { readonly fixed: FindingState }
  | { readonly ending: Finding & { readonly accepted: Acceptance } }
  /**
   * A derived finding on this owner's login whose fix belongs to another owner ("fixed when press-office/mailbox is
   * fixed, owned by press-office"): told when it is new or worse, never again as a reminder while its root is open,
   * and never counted as this owner's own (its severity is the root's owner's to act on).
   */
  | { readonly waiting: Finding; readonly on: Action; readonly change?: Change }
  /** To an escalation contact: another owner's finding left open past the policy's days, told once. */
  | { readonly escalated: Finding; readonly owner: string | null; readonly openDays: number }
  /** To the owner: their finding was told to their escalation contact. */
  | { readonly escalatedTo: string; readonly told: Finding; readonly openDays: number };

/**
 * What one owner is to be told after a run, in no channel's form: their findings that need attention (worst first, as
 * the report orders them) and what was fixed. A channel (email and SMS, a security hub, a ticket) renders it its way.
 */
export interface OwnerNotice {
  readonly owner: string;
  readonly items: readonly NoticeItem[];
  readonly findings: number;
  readonly fixed: number;
  /** Acceptances ending soon. */
  readonly ending: number;
  /** Derived findings waiting on another owner's fix. */
  readonly waiting: number;
  /** Other owners' findings escalated to this one (as their contact). */
  readonly escalated: readonly Finding[];
  /** The worst finding's severity (of its own findings); undefined when the notice only reports other things. */
  readonly worst: Severity | undefined;
  /** The first (worst) finding, for a channel that says one thing only (an SMS), when there is no action. */
  readonly top: Finding | undefined;
  /**
   * What this owner can do, in the report's ranking: their actions that fix a finding this notice tells. A channel
   * leads with these; one that says one thing only says the first.
   */
  readonly actions: readonly Action[];
}

export interface NoticeOptions {
  /**
   * With lifecycle state: each finding's change since the last run. Only new, worsened and reminded findings are
   * told; without it, every finding is.
   */
  readonly changes?: ReadonlyMap<string, Change>;
  /** Findings fixed since the last run, told to their owners once. */
  readonly resolved?: readonly FindingState[];
  /** For each reopened finding, the acceptance that ended. */
  readonly reopened?: ReadonlyMap<string, Acceptance>;
  /** Accepted findings whose acceptance ends soon, told once. */
  readonly ending?: readonly Finding[];
  /** Findings left open past the policy's days, each with its owner's escalation contact (null: there is none). */
  readonly escalations?: readonly {
    readonly finding: Finding;
    readonly openDays: number;
    readonly owner: string | null;
    readonly to: string | null;
  }[];
}

/** One notice per owner with something to tell, in the order owners first appear in the report. */
export function ownerNotices(report: Report, options: NoticeOptions = {}): OwnerNotice[] {
  const ownerOf = new Map(report.accounts.map((account) => [account.id, account.owner]));
  const actionById = new Map(report.actions.map((action) => [action.id, action]));
  const byOwner = new Map<string, NoticeItem[]>();
  const add = (owner: string | null | undefined, item: NoticeItem) => {
    const key = owner ?? UNOWNED;
    // Pushed, not copied: an estate with no owner tags puts every finding in one notice.
    const items = byOwner.get(key);
    if (items) items.push(item);
    else byOwner.set(key, [item]);
  };
  for (const found of report.findings) {
    // An accepted finding is told to no one: that is what accepting it means.
    if (found.accepted !== undefined) continue;
    const change = options.changes?.get(found.id);
    if (change === 'unchanged') continue;
    const owner = ownerOf.get(found.accountId);
    const root = found.rootAction === undefined ? undefined : actionById.get(found.rootAction);
    if (root !== undefined && root.owner !== owner) {
      // Its root is open (it is in this report's actions): a reminder of it would be the other owner's alarm again.
      if (change !== 'reminded') add(owner, { waiting: found, on: root, ...(change !== undefined && { change }) });
      continue;
    }
    const endedAcceptance = options.reopened?.get(found.id);
    add(owner, {
      finding: found,
      ...(change !== undefined && { change }),
      ...(endedAcceptance !== undefined && { endedAcceptance }),
      ...(root !== undefined && { fixedBy: root }),
    });
  }
  for (const fixed of options.resolved ?? []) add(fixed.owner, { fixed });
  for (const { finding, openDays, owner, to } of options.escalations ?? []) {
    if (to === null) continue;
    add(to, { escalated: finding, owner, openDays });
    add(owner, { escalatedTo: to, told: finding, openDays });
  }
  for (const ending of options.ending ?? []) {
    if (ending.accepted !== undefined)
      add(ownerOf.get(ending.accountId), { ending: { ...ending, accepted: ending.accepted } });
  }
  const rankOf = new Map(report.actions.map((action, index) => [action.id, index]));
  return [...byOwner].map(([owner, items]) => {
    const findings = items.flatMap((item) => ('finding' in item ? [item.finding] : []));
    const fixed = items.filter((item) => 'fixed' in item).length;
    const waiting = items.filter((item) => 'waiting' in item).length;
    const escalated = items.filter((item) => 'escalated' in item || 'escalatedTo' in item).length;
    // The owner's actions that fix what is told: the action of each told finding's own login, or its root.
    const told = new Set(findings.map((found) => found.rootAction ?? actionId(found.accountId)));
    const actions = [...told]
      .flatMap((id) => {
        const action = actionById.get(id);
        return action !== undefined && (action.owner ?? UNOWNED) === owner ? [action] : [];
      })
      .sort((a, b) => (rankOf.get(a.id) ?? 0) - (rankOf.get(b.id) ?? 0));
    return {
      owner,
      items,
      findings: findings.length,
      fixed,
      ending: items.length - findings.length - fixed - waiting - escalated,
      waiting,
      escalated: items.flatMap((item) => ('escalated' in item ? [item.escalated] : [])),
      worst: worstOf(findings.map((found) => found.severity)),
      top: findings[0],
      actions,
    };
  });
}

/**
 * A way owners hear of their findings. A run hands every channel the same notices; each renders and delivers them
 * its way, and says how many messages it sent. A channel that fails rejects, so that the run fails and is retried.
 */
export interface NotificationChannel {
  /** Its name in the lifecycle state, where the closings it is still owed are kept (`security-hub`). */
  readonly id: string;
  deliver(delivery: {
    readonly notices: readonly OwnerNotice[];
    readonly report: Report;
    /** The function family that ran (`mfa-status`), for the reader and for routing. */
    readonly family: string;
    /**
     * Findings to close (with lifecycle state): those fixed since the last run, and those fixed earlier whose closing
     * this channel has not taken yet. For a channel that keeps findings.
     */
    readonly resolved?: readonly FindingState[];
    /** When each current finding was first seen (with lifecycle state). */
    readonly firstSeen?: ReadonlyMap<string, string>;
  }): Promise<ChannelDelivery>;
}

/**
 * What a channel delivered: how many messages it sent, and the ids of the resolved findings whose closing it could
 * not deliver (throttled, refused): they are offered to it again on later runs until it takes them.
 */
export interface ChannelDelivery {
  readonly messages: number;
  readonly owed?: readonly string[];
}
