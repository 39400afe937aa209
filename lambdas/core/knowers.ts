import { formatDay } from './iso-date';
import { arnGlob, type Leavers, readsCurrentVersion, type SecretRead } from './secret-reads';

/** What the reads of a login's secret say about who holds its current password. */
export interface Knowers {
  /** The day the current password was set, when known: reads before it are of an older password. */
  readonly since?: Date;
  /** The people who read the current password, each with their last read of it, by name in lower case. */
  readonly people: ReadonlyMap<string, { readonly name: string; readonly lastRead: Date }>;
  /** Of them, those who have since left (on or after the day it was set), with when. */
  readonly left: readonly { readonly name: string; readonly lastRead: Date; readonly leftOn: Date }[];
  /** Reads by people after the day they left (of any version): their access was never removed. */
  readonly afterLeaving: readonly { readonly name: string; readonly read: Date; readonly leftOn: Date }[];
}

const DAY_MS = 86_400_000;

/**
 * Who knows a login's password, from the reads of its secret: the people (not the monitor's functions, nor the roles
 * the policy names as automation) who read the current version on or after the day it was set. A person who read it
 * and left on or after that day still knows it; one who left before it was set and never read it since does not. A
 * read after the day its reader left is its own fact, whatever version it read. Without a date for the current
 * password every read of the current version counts: the monitor cannot tell that it is older.
 */
export function knowersOf(
  reads: readonly SecretRead[],
  leavers: Leavers,
  since: Date | undefined,
  ignorePrincipals: readonly string[],
): Knowers {
  const ignored = ignorePrincipals.map(arnGlob);
  const isAutomation = (read: SecretRead) => read.reader.arns.some((arn) => ignored.some((matches) => matches(arn)));
  // The day the password was set, from its start: a read that day may be of the new password.
  const from =
    since === undefined ? undefined : Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  const people = new Map<string, { name: string; lastRead: Date }>();
  const afterLeaving: { name: string; read: Date; leftOn: Date }[] = [];
  for (const read of reads) {
    if (isAutomation(read)) continue;
    const key = read.reader.name.toLowerCase();
    const leftOn = leavers.get(key);
    // After the whole of the day they left.
    if (leftOn !== undefined && read.at.getTime() >= leftOn.getTime() + DAY_MS) {
      afterLeaving.push({ name: read.reader.name, read: read.at, leftOn });
    }
    if (!readsCurrentVersion(read) || (from !== undefined && read.at.getTime() < from)) continue;
    const known = people.get(key);
    if (known === undefined || known.lastRead < read.at) people.set(key, { name: read.reader.name, lastRead: read.at });
  }
  const left = [...people].flatMap(([key, person]) => {
    const leftOn = leavers.get(key);
    return leftOn !== undefined && (from === undefined || leftOn.getTime() >= from) ? [{ ...person, leftOn }] : [];
  });
  return { ...(since !== undefined && { since }), people, left, afterLeaving };
}

/** The account's line of the report: since when, how many people, and who of them has left (names and days). */
export interface KnowersSummary {
  readonly since: string | null;
  readonly people: number;
  readonly left: readonly { readonly name: string; readonly lastRead: string; readonly leftOn: string }[];
}

export function knowersSummary(knowers: Knowers): KnowersSummary {
  return {
    since: knowers.since === undefined ? null : formatDay(knowers.since),
    people: knowers.people.size,
    left: knowers.left.map(({ name, lastRead, leftOn }) => ({
      name,
      lastRead: formatDay(lastRead),
      leftOn: formatDay(leftOn),
    })),
  };
}
