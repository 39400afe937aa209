import { FINDING_KINDS } from './check-registry';
import { type Finding, kindOf } from './finding';
import { parseIsoDate } from './iso-date';
import { type Severity, worstOf } from './severity';

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

/** What an accepted finding carries: why, who, and until when. */
export interface Acceptance {
  readonly reason: string;
  readonly acceptedBy: string;
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

/** The kinds an exception's `check` covers, with their default severities; undefined for an unknown check or kind. */
export function kindsCovered(check: string): Readonly<Record<string, Severity>> | undefined {
  const [id = '', kind] = check.split(':', 2);
  const kinds = Object.hasOwn(FINDING_KINDS, id) ? FINDING_KINDS[id as keyof typeof FINDING_KINDS] : undefined;
  if (kinds === undefined || kind === undefined) return kinds;
  return Object.hasOwn(kinds, kind) ? { [kind]: kinds[kind] as Severity } : undefined;
}

/**
 * The severity an exception is capped by: the worst its findings can have, from each covered kind's default or the
 * policy's override of it.
 */
export function exceptionSeverity(
  check: string,
  severityOverrides: Readonly<Record<string, Severity>>,
): Severity | undefined {
  const kinds = kindsCovered(check);
  if (kinds === undefined) return undefined;
  const id = check.split(':', 1)[0] as string;
  return worstOf(
    Object.entries(kinds).map(
      ([kind, severity]) => severityOverrides[`${id}:${kind}`] ?? severityOverrides[id] ?? severity,
    ),
  );
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

/** How one exception fared in a run: whether it is in force, which findings it accepted, and whether it is stale. */
export interface ExceptionOutcome extends RiskException {
  readonly status: 'active' | 'expired';
  /** The ids of the findings it accepted this run. */
  readonly matched: readonly string[];
  /** In force, and matched no finding in a run over the whole estate: the risk it accepted is gone; remove it. */
  readonly stale: boolean;
}

/**
 * Decides which findings the policy's exceptions accept, recording what each matched. The first exception in the
 * policy's order that covers a finding (its account, its check or `check:kind`) and is in force accepts it; an
 * exception for one kind never covers another kind on the same account.
 */
export class ExceptionMatcher {
  private readonly compiled: {
    readonly exception: RiskException;
    readonly account: string;
    readonly check: string;
    readonly kind: string | undefined;
    readonly active: boolean;
    readonly matched: string[];
  }[];

  constructor(exceptions: readonly RiskException[], now: Date) {
    this.compiled = exceptions.map((exception) => {
      const [check = '', kind] = exception.check.split(':', 2);
      return {
        exception,
        account: exception.account,
        check,
        kind,
        active: isAcceptanceActive(exception, now),
        matched: [],
      };
    });
  }

  /** The finding, accepted (with the acceptance) when an exception in force covers it. */
  accept(found: Finding): Finding {
    if (this.compiled.length === 0 || UNACCEPTABLE_CHECKS.has(found.check)) return found;
    const kind = kindOf(found);
    const match = this.compiled.find(
      (each) =>
        each.active &&
        each.check === found.check &&
        (each.kind === undefined || each.kind === kind) &&
        globMatches(each.account, found.accountId),
    );
    if (match === undefined) return found;
    match.matched.push(found.id);
    const { reason, acceptedBy, expires } = match.exception;
    return { ...found, accepted: { reason, acceptedBy, expires } };
  }

  /** Each exception's outcome; `wholeEstate`: the run saw every account, so one that matched nothing is stale. */
  outcomes(wholeEstate: boolean): ExceptionOutcome[] {
    return this.compiled.map(({ exception, active, matched }) => ({
      ...exception,
      status: active ? 'active' : 'expired',
      matched: [...matched],
      stale: active && wholeEstate && matched.length === 0,
    }));
  }
}
