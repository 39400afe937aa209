import { type Acceptance, type Finding, kindOf } from './finding';

export type { Acceptance };

import { daysBetween, formatDay, parseIsoDate } from './iso-date';
import type { Severity } from './severity';

/**
 * A finding accepted as a risk for one account (or a glob of them), with a reason, by a named person, until a date:
 * a decision, reviewed like code in the policy, instead of a finding that nags its owner until they stop reading.
 */
export interface RiskException {
  /** An account id (`press-office/press-releases`) or a glob over them (`press-office/*`; `*` any run, `?` one). */
  readonly account: string;
  /** A check (`mfa`: every kind of it) or one kind (`mfa:unavailable`). */
  readonly check: string;
  readonly reason: string;
  readonly acceptedBy: string;
  /** The last day (UTC) the acceptance holds, `YYYY-MM-DD`; the day after, the finding is open again. */
  readonly expires: string;
}

/** Checks whose findings say the monitor could not look, not a risk someone could accept. */
export const UNACCEPTABLE_CHECKS: ReadonlySet<string> = new Set(['invalid-secret', 'check-error']);

/** Acceptances that end within this many days are listed in their owners' digests, once. */
export const ACCEPTANCE_ENDING_NOTICE_DAYS = 14;

const DAY_MS = 86_400_000;

/** The instant an acceptance ends: the start (UTC) of the day after `expires`. */
export function acceptanceEnd(expires: string): Date {
  const day = parseIsoDate(expires);
  if (day === undefined) throw new RangeError('an acceptance expires on a YYYY-MM-DD date');
  return new Date(day.getTime() + DAY_MS);
}

export function isAcceptanceActive(acceptance: Pick<Acceptance, 'expires'>, now: Date): boolean {
  return now.getTime() < acceptanceEnd(acceptance.expires).getTime();
}

/** Whether an acceptance still in force ends within the notice window (so its owner is told it is ending). */
export function isAcceptanceEnding(acceptance: Pick<Acceptance, 'expires'>, now: Date): boolean {
  const end = acceptanceEnd(acceptance.expires).getTime();
  return now.getTime() < end && end - now.getTime() <= ACCEPTANCE_ENDING_NOTICE_DAYS * DAY_MS;
}

/** Whole days from `now`'s UTC day to the last day an exception holds: what its cap (`exceptionMaxDays`) bounds. */
export function daysAhead(expires: string, now: Date): number {
  return daysBetween(parseIsoDate(formatDay(now)) as Date, parseIsoDate(expires) as Date);
}

/**
 * Whether `glob` matches all of `id`: `*` any run of characters, `?` one, everything else itself. The classic
 * wildcard walk (back to the last `*` on a mismatch) takes at most |glob| x |id| steps, however many stars: a glob
 * compiled to a regular expression could backtrack for minutes on a hostile `*a*a*a…*b`.
 */
export function globMatches(glob: string, id: string): boolean {
  const pattern = [...glob];
  const text = [...id];
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === text[t]))) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      p += 1;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      resume += 1;
      t = resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** A finding an exception covers but may not accept: its severity's cap is shorter than the exception's term. */
export interface OverCap {
  readonly finding: string;
  readonly severity: Severity;
  /** The cap for that severity (`exceptionMaxDays`). */
  readonly maxDays: number;
}

/** How one exception fared in a run: whether it is in force, which findings it accepted, and whether it is stale. */
export interface ExceptionOutcome extends RiskException {
  readonly status: 'active' | 'expired';
  /** The ids of the findings it accepted this run. */
  readonly matched: readonly string[];
  /**
   * The findings it covers but did not accept, because they are more severe now than its term allows (a password that
   * aged from medium to high under a 300-day acceptance): they stay open. Absent when there are none.
   */
  readonly overCap?: readonly OverCap[];
  /** In force, and covered no finding in a run over the whole estate: the risk it accepted is gone; remove it. */
  readonly stale: boolean;
}

/**
 * Decides which findings the policy's exceptions accept, recording what each matched. The first exception in the
 * policy's order that covers a finding (its account, its check or `check:kind`), is in force, and whose term is within
 * the cap for the finding's severity now (`maxDays`) accepts it; an exception for one kind never covers another kind
 * on the same account. A finding covered only beyond the cap stays open, and the exception says so.
 */
export class ExceptionMatcher {
  private readonly compiled: {
    readonly exception: RiskException;
    readonly account: string;
    readonly check: string;
    readonly kind: string | undefined;
    readonly active: boolean;
    readonly daysAhead: number;
    readonly matched: string[];
    readonly overCap: OverCap[];
  }[];

  constructor(
    exceptions: readonly RiskException[],
    now: Date,
    private readonly maxDays: Readonly<Record<Severity, number>>,
  ) {
    this.compiled = exceptions.map((exception) => {
      const [check = '', kind] = exception.check.split(':', 2);
      return {
        exception,
        account: exception.account,
        check,
        kind,
        active: isAcceptanceActive(exception, now),
        daysAhead: daysAhead(exception.expires, now),
        matched: [],
        overCap: [],
      };
    });
  }

  /** The finding, accepted (with the acceptance) when an exception in force, within its cap, covers it. */
  accept(found: Finding): Finding {
    if (this.compiled.length === 0 || UNACCEPTABLE_CHECKS.has(found.check)) return found;
    const kind = kindOf(found);
    const maxDays = this.maxDays[found.severity];
    let beyondCap: (typeof this.compiled)[number] | undefined;
    for (const each of this.compiled) {
      if (
        !each.active ||
        each.check !== found.check ||
        (each.kind !== undefined && each.kind !== kind) ||
        !globMatches(each.account, found.accountId)
      ) {
        continue;
      }
      if (each.daysAhead > maxDays) {
        beyondCap ??= each;
        continue;
      }
      each.matched.push(found.id);
      const { reason, acceptedBy, expires } = each.exception;
      return { ...found, accepted: { reason, acceptedBy, expires } };
    }
    beyondCap?.overCap.push({ finding: found.id, severity: found.severity, maxDays });
    return found;
  }

  /** Each exception's outcome; `wholeEstate`: the run saw every account, so one that covered nothing is stale. */
  outcomes(wholeEstate: boolean): ExceptionOutcome[] {
    return this.compiled.map(({ exception, active, matched, overCap }) => ({
      ...exception,
      status: active ? 'active' : 'expired',
      matched: [...matched],
      ...(overCap.length > 0 && { overCap: [...overCap] }),
      stale: active && wholeEstate && matched.length === 0 && overCap.length === 0,
    }));
  }
}
