import type { Acceptance } from '../exceptions';
import type { Finding } from '../finding';
import type { FindingState } from '../lifecycle/lifecycle-state';
import type { Change } from '../lifecycle/reconcile';
import type { Report } from '../report/report';
import { type Severity, worstOf } from '../severity';

/** The owner findings are sent to when nobody owns the login: only unfiltered subscriptions (the platform team) get them. */
export const UNOWNED = 'unowned';

/**
 * One thing to tell an owner: a finding that needs attention (with what changed, and for a reopened one the acceptance
 * that ended), one fixed since the last run, or an accepted one whose acceptance ends soon.
 */
export type NoticeItem =
  | { readonly finding: Finding; readonly change?: Change; readonly endedAcceptance?: Acceptance }
  | { readonly fixed: FindingState }
  | { readonly ending: Finding & { readonly accepted: Acceptance } };

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
  /** The worst finding's severity; undefined when the notice only reports fixes or endings. */
  readonly worst: Severity | undefined;
  /** The first (worst) finding, for a channel that says one thing only (an SMS). */
  readonly top: Finding | undefined;
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
}

/** One notice per owner with something to tell, in the order owners first appear in the report. */
export function ownerNotices(report: Report, options: NoticeOptions = {}): OwnerNotice[] {
  const ownerOf = new Map(report.accounts.map((account) => [account.id, account.owner]));
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
    const endedAcceptance = options.reopened?.get(found.id);
    add(ownerOf.get(found.accountId), {
      finding: found,
      ...(change !== undefined && { change }),
      ...(endedAcceptance !== undefined && { endedAcceptance }),
    });
  }
  for (const fixed of options.resolved ?? []) add(fixed.owner, { fixed });
  for (const ending of options.ending ?? []) {
    if (ending.accepted !== undefined)
      add(ownerOf.get(ending.accountId), { ending: { ...ending, accepted: ending.accepted } });
  }
  return [...byOwner].map(([owner, items]) => {
    const findings = items.flatMap((item) => ('finding' in item ? [item.finding] : []));
    const fixed = items.filter((item) => 'fixed' in item).length;
    return {
      owner,
      items,
      findings: findings.length,
      fixed,
      ending: items.length - findings.length - fixed,
      worst: worstOf(findings.map((found) => found.severity)),
      top: findings[0],
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
