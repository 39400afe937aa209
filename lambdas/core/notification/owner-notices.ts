import type { Finding } from '../finding';
import type { FindingState } from '../lifecycle/lifecycle-state';
import type { Change } from '../lifecycle/reconcile';
import type { Report } from '../report/report';
import { type Severity, worstOf } from '../severity';

/** The owner findings are sent to when nobody owns the login: only unfiltered subscriptions (the platform team) get them. */
export const UNOWNED = 'unowned';

/** One thing to tell an owner: a finding that needs attention (with what changed), or one fixed since the last run. */
export type NoticeItem = { readonly finding: Finding; readonly change?: Change } | { readonly fixed: FindingState };

/**
 * What one owner is to be told after a run, in no channel's form: their findings that need attention (worst first, as
 * the report orders them) and what was fixed. A channel (email and SMS, a security hub, a ticket) renders it its way.
 */
export interface OwnerNotice {
  readonly owner: string;
  readonly items: readonly NoticeItem[];
  readonly findings: number;
  readonly fixed: number;
  /** The worst finding's severity; undefined when the notice only reports fixes. */
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
    const change = options.changes?.get(found.id);
    if (change === 'unchanged') continue;
    add(ownerOf.get(found.accountId), { finding: found, ...(change !== undefined && { change }) });
  }
  for (const fixed of options.resolved ?? []) add(fixed.owner, { fixed });
  return [...byOwner].map(([owner, items]) => {
    const findings = items.flatMap((item) => ('finding' in item ? [item.finding] : []));
    return {
      owner,
      items,
      findings: findings.length,
      fixed: items.length - findings.length,
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
  deliver(delivery: {
    readonly notices: readonly OwnerNotice[];
    readonly report: Report;
    /** The function that ran: `breach-exposure`. */
    /** The function family that ran (`mfa-status`), for the reader and for routing. */
    readonly family: string;
  }): Promise<{ readonly messages: number }>;
}
