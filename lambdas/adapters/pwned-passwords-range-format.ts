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
/** Each byte's class in a line's suffix (upper-case hex letter, lower-case hex letter, or neither) and in its count. */
const UPPER_HEX = 1;
const LOWER_HEX = 2;
const INVALID = 4;
const IN_SUFFIX = new Uint8Array(256).fill(INVALID);
const IN_COUNT = new Uint8Array(256).fill(INVALID);
for (let code = 48; code <= 57; code++) {
  IN_SUFFIX[code] = 0;
  IN_COUNT[code] = 0;
}
for (let code = 65; code <= 70; code++) IN_SUFFIX[code] = UPPER_HEX;
for (let code = 97; code <= 102; code++) IN_SUFFIX[code] = LOWER_HEX;

/**
 * Parses a Pwned Passwords range body (`SUFFIX:COUNT` lines, CRLF or LF) and returns the counts of the wanted
 * suffixes. Padding lines (count 0) are ignored. Fails closed: one malformed line, or no line at all, rejects the
 * whole body, because an error page read as a hash list would match nothing and report a breached password as safe.
 * A line is accepted exactly or not at all: its suffix in one case (the API's upper case, or a mirror's lower case,
 * never mixed, which a search in either case would miss), and a wanted suffix listed twice (a padding line with count
 * 0 and a real one) fails the range rather than being read by its first line.
 * Works on the raw bytes in one pass, checking each against a table, without decoding or a string per line: a padded
 * range has about 900 lines, and a scan reads one range per distinct prefix.
 */
export function countsInRange(body: Buffer, wanted: ReadonlySet<string>): Map<string, number> {
  const end = body.length;
  let lines = 0;
  let line = 1;
  let kinds = 0;
  let at = 0;
  while (at < end) {
    const first = body[at];
    if (first === LF || (first === CR && body[at + 1] === LF)) {
      at += first === LF ? 1 : 2;
      line += 1;
      continue;
    }
    const colon = at + SUFFIX_LENGTH;
    if (colon >= end || body[colon] !== COLON) throw malformed(line);
    let kind = 0;
    for (let index = at; index < colon; index++) kind |= IN_SUFFIX[body[index] as number] as number;
    let cursor = colon + 1;
    const longest = Math.min(end, cursor + MAX_COUNT_DIGITS + 1);
    while (cursor < longest && IN_COUNT[body[cursor] as number] === 0) cursor += 1;
    const digits = cursor - colon - 1;
    const mixedCase = (kind & (UPPER_HEX | LOWER_HEX)) === (UPPER_HEX | LOWER_HEX);
    if ((kind & INVALID) !== 0 || mixedCase || digits === 0 || digits > MAX_COUNT_DIGITS) throw malformed(line);
    if (cursor < end) {
      if (body[cursor] === LF) cursor += 1;
      else if (body[cursor] === CR && body[cursor + 1] === LF) cursor += 2;
      else throw malformed(line);
      line += 1;
    }
    kinds |= kind;
    lines += 1;
    at = cursor;
  }
  if (lines === 0) throw new BreachLookupError('empty range response');

  // Every line is now known to be 35 hex digits, a colon and a count, so "SUFFIX:" can only match at a line start.
  const counts = new Map<string, number>();
  for (const suffix of wanted) {
    const upper = body.indexOf(`${suffix}:`, 0, 'latin1');
    const lower = (kinds & LOWER_HEX) !== 0 ? body.indexOf(`${suffix.toLowerCase()}:`, 0, 'latin1') : -1;
    if (upper === -1 && lower === -1) continue;
    const found = upper === -1 ? lower : upper;
    const again =
      (upper !== -1 && lower !== -1) ||
      body.indexOf(`${suffix}:`, found + 1, 'latin1') !== -1 ||
      (lower !== -1 && body.indexOf(`${suffix.toLowerCase()}:`, found + 1, 'latin1') !== -1);
    if (again) throw new BreachLookupError('malformed range response (a suffix is listed twice)');
    let count = 0;
    for (let cursor = found + SUFFIX_LENGTH + 1; cursor < end && IN_COUNT[body[cursor] as number] === 0; cursor++) {
      count = count * 10 + ((body[cursor] as number) - 48);
    }
    if (count > 0) counts.set(suffix, count);
  }
  return counts;
}

function malformed(line: number): BreachLookupError {
  return new BreachLookupError(`malformed range response (line ${line} is not SUFFIX:COUNT)`);
}
