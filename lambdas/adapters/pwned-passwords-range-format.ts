import { BreachLookupError } from '../core/evidence-sources';

const RANGE_LINE = /^([0-9A-Fa-f]{35}):(\d{1,12})$/;

/** Refuses anything but a 5-hex upper-case prefix, so that nothing more of a hash can reach a range source. */
export function assertRangePrefix(prefix: string): void {
  if (!/^[0-9A-F]{5}$/.test(prefix)) throw new BreachLookupError('a range prefix must be 5 upper-case hex digits');
}

/**
 * Parses a Pwned Passwords range body (`SUFFIX:COUNT` lines, CRLF or LF) and returns the counts of the wanted
 * suffixes. Padding lines (count 0) are ignored. Fails closed: one malformed line, or no line at all, rejects the
 * whole body, because an error page read as a hash list would match nothing and report a breached password as safe.
 */
export function countsInRange(body: string, wanted: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  let lines = 0;
  let lineNumber = 0;
  for (const raw of body.split('\n')) {
    lineNumber += 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    const match = RANGE_LINE.exec(line);
    if (!match) throw new BreachLookupError(`malformed range response (line ${lineNumber} is not SUFFIX:COUNT)`);
    lines += 1;
    const suffix = (match[1] as string).toUpperCase();
    const count = Number(match[2]);
    if (count > 0 && wanted.has(suffix)) counts.set(suffix, count);
  }
  if (lines === 0) throw new BreachLookupError('empty range response');
  return counts;
}
