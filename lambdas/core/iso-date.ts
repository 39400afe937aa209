const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses an ISO 8601 calendar date (`2025-01-31`, taken as midnight UTC) or date-time with an explicit offset
 * (`2025-01-31T09:30:00Z`, `2025-01-31T09:30+01:00`). Returns undefined for anything else, including dates that do
 * not exist (`2025-02-30`), date-times without an offset, whose meaning would depend on the machine's zone, and
 * instants outside the years 0001 to 9999 in UTC.
 */
export function parseIsoDate(value: string): Date | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const date = new Date(hour === undefined ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999, so 0025-03-14 would not be itself.
  const calendar = new Date(0);
  calendar.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  const sameDay =
    calendar.getUTCFullYear() === Number(year) &&
    calendar.getUTCMonth() === Number(month) - 1 &&
    calendar.getUTCDate() === Number(day);
  if (!sameDay) return undefined;
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) return undefined;
  // An instant must also be a day the project can write back as YYYY-MM-DD: 9999-12-31T23:59-14:00 is year 10000 in
  // UTC, which no date field, state file or report could hold.
  const utcYear = date.getUTCFullYear();
  if (utcYear < 1 || utcYear > 9999) return undefined;
  return date;
}

const DAY_MS = 86_400_000;

/** Whole days from `earlier` to `later` (negative when `earlier` is after `later`). */
export function daysBetween(earlier: Date, later: Date): number {
  return Math.floor((later.getTime() - earlier.getTime()) / DAY_MS);
}

/** `2025-01-31` */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
