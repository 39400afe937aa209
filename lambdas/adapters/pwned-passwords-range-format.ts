import { BreachLookupError } from '../core/evidence-sources';

/** Refuses anything but a 5-hex upper-case prefix, so that nothing more of a hash can reach a range source. */
export function assertRangePrefix(prefix: string): void {
  if (!/^[0-9A-F]{5}$/.test(prefix)) throw new BreachLookupError('a range prefix must be 5 upper-case hex digits');
}

const SUFFIX_LENGTH = 35;
const MAX_COUNT_DIGITS = 12;
const COLON = 58;
const LF = 10;
const CR = 13;

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Parses a Pwned Passwords range body (`SUFFIX:COUNT` lines, CRLF or LF) and returns the counts of the wanted
 * suffixes. Padding lines (count 0) are ignored. Fails closed: one malformed line, or no line at all, rejects the
 * whole body, because an error page read as a hash list would match nothing and report a breached password as safe.
 * Validated by one compiled pattern, without a string per line: a padded range has about 900 lines, and a scan reads
 * one range per password.
 */
export function countsInRange(body: string, wanted: ReadonlySet<string>): Map<string, number> {
  if (!WELL_FORMED.test(body)) throw malformedLine(body);
  // Every line is now known to be 35 hex digits, a colon and a count, so "SUFFIX:" can only match at a line start.
  const text = /[a-f]/.test(body) ? body.toUpperCase() : body;
  const counts = new Map<string, number>();
  for (const suffix of wanted) {
    const found = text.indexOf(`${suffix}:`);
    if (found === -1) continue;
    let cursor = found + SUFFIX_LENGTH + 1;
    let count = 0;
    while (isDigit(text.charCodeAt(cursor))) {
      count = count * 10 + (text.charCodeAt(cursor) - 48);
      cursor += 1;
    }
    if (count > 0) counts.set(suffix, count);
  }
  return counts;
}

/** At least one `SUFFIX:COUNT` line; blank lines allowed; CRLF or LF. Compiled once, checked in one native pass. */
const WELL_FORMED = /^(?:\r?\n)*[0-9A-Fa-f]{35}:\d{1,12}(?:(?:\r?\n)+[0-9A-Fa-f]{35}:\d{1,12})*(?:\r?\n)*$/;

/** The error for a body that is not well formed, naming its first bad line (only computed on failure). */
function malformedLine(body: string): BreachLookupError {
  let lineNumber = 1;
  let at = 0;
  const end = body.length;
  while (at < end) {
    const first = body.charCodeAt(at);
    if (first === LF || (first === CR && body.charCodeAt(at + 1) === LF)) {
      at += first === LF ? 1 : 2;
      lineNumber += 1;
      continue;
    }
    let cursor = at;
    while (cursor < at + SUFFIX_LENGTH && isHex(body.charCodeAt(cursor))) cursor += 1;
    let digits = 0;
    if (cursor === at + SUFFIX_LENGTH && body.charCodeAt(cursor) === COLON) {
      cursor += 1;
      while (isDigit(body.charCodeAt(cursor)) && digits <= MAX_COUNT_DIGITS) {
        cursor += 1;
        digits += 1;
      }
    }
    const next = body.charCodeAt(cursor);
    const lineEnds = cursor === end || next === LF || (next === CR && body.charCodeAt(cursor + 1) === LF);
    if (digits === 0 || digits > MAX_COUNT_DIGITS || !lineEnds) {
      return new BreachLookupError(`malformed range response (line ${lineNumber} is not SUFFIX:COUNT)`);
    }
    at = cursor;
  }
  // No line was malformed, so there was no line at all.
  return new BreachLookupError('empty range response');
}
