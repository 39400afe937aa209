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
const HEX = new Uint8Array(256);
for (const range of ['09', 'AF', 'af']) {
  for (let code = range.charCodeAt(0); code <= range.charCodeAt(1); code++) HEX[code] = 1;
}

const isDigit = (code: number | undefined) => code !== undefined && code >= 48 && code <= 57;

/**
 * Parses a Pwned Passwords range body (`SUFFIX:COUNT` lines, CRLF or LF) and returns the counts of the wanted
 * suffixes. Padding lines (count 0) are ignored. Fails closed: one malformed line, or no line at all, rejects the
 * whole body, because an error page read as a hash list would match nothing and report a breached password as safe.
 * Works on the raw bytes in one pass, without decoding or a string per line: a padded range has about 900 lines, and
 * a scan reads one range per password.
 */
export function countsInRange(body: Buffer, wanted: ReadonlySet<string>): Map<string, number> {
  let lines = 0;
  let line = 1;
  let lowerCase = false;
  let at = 0;
  const end = body.length;
  while (at < end) {
    const first = body[at];
    if (first === LF || (first === CR && body[at + 1] === LF)) {
      at += first === LF ? 1 : 2;
      line += 1;
      continue;
    }
    let hex = 0;
    while (hex < SUFFIX_LENGTH && HEX[body[at + hex] as number] === 1) {
      if ((body[at + hex] as number) >= 97) lowerCase = true;
      hex += 1;
    }
    let cursor = at + SUFFIX_LENGTH + 1;
    const digitsStart = cursor;
    while (isDigit(body[cursor]) && cursor - digitsStart <= MAX_COUNT_DIGITS) cursor += 1;
    const digits = cursor - digitsStart;
    const next = body[cursor];
    const lineEnds = cursor >= end || next === LF || (next === CR && body[cursor + 1] === LF);
    if (
      hex < SUFFIX_LENGTH ||
      body[at + SUFFIX_LENGTH] !== COLON ||
      digits === 0 ||
      digits > MAX_COUNT_DIGITS ||
      !lineEnds
    ) {
      throw new BreachLookupError(`malformed range response (line ${line} is not SUFFIX:COUNT)`);
    }
    lines += 1;
    at = cursor;
  }
  if (lines === 0) throw new BreachLookupError('empty range response');

  // Every line is now known to be 35 hex digits, a colon and a count, so "SUFFIX:" can only match at a line start.
  const counts = new Map<string, number>();
  for (const suffix of wanted) {
    let found = body.indexOf(`${suffix}:`, 0, 'latin1');
    if (found === -1 && lowerCase) found = body.indexOf(`${suffix.toLowerCase()}:`, 0, 'latin1');
    if (found === -1) continue;
    let count = 0;
    for (let cursor = found + SUFFIX_LENGTH + 1; isDigit(body[cursor]); cursor++) {
      count = count * 10 + ((body[cursor] as number) - 48);
    }
    if (count > 0) counts.set(suffix, count);
  }
  return counts;
}
