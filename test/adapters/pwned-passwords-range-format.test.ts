import fc from 'fast-check';
import { countsInRange } from '../../lambdas/adapters/pwned-passwords-range-format';
import { BreachLookupError } from '../../lambdas/core/evidence-sources';

const SUFFIX = 'ABCDEF0123456789ABCDEF0123456789ABC';
const OTHER = '0'.repeat(35);

/** The format as the API documents it, written the plain way: split into lines, one regular expression per line. */
function reference(body: string, wanted: ReadonlySet<string>): Map<string, number> {
  const segments = body.split('\n');
  const lines = segments.map((segment, index) =>
    index < segments.length - 1 && segment.endsWith('\r') ? segment.slice(0, -1) : segment,
  );
  const parsed: [string, number][] = [];
  lines.forEach((line, index) => {
    if (line === '') return;
    if (!/^([0-9A-F]{35}|[0-9a-f]{35}):\d{1,12}$/.test(line)) {
      throw new BreachLookupError(`malformed range response (line ${index + 1} is not SUFFIX:COUNT)`);
    }
    parsed.push([line.slice(0, 35), Number(line.slice(36))]);
  });
  if (parsed.length === 0) throw new BreachLookupError('empty range response');
  const counts = new Map<string, number>();
  for (const suffix of wanted) {
    const matches = parsed.filter(([each]) => each === suffix || each === suffix.toLowerCase());
    if (matches.length > 1) throw new BreachLookupError('malformed range response (a suffix is listed twice)');
    const match = matches[0];
    if (match && match[1] > 0) counts.set(suffix, match[1]);
  }
  return counts;
}

function outcome(parse: () => Map<string, number>): unknown {
  try {
    return parse();
  } catch (error) {
    return error instanceof BreachLookupError ? `error: ${error.message}` : error;
  }
}

describe('Function: countsInRange', () => {
  it('reads the counts of the wanted suffixes, CRLF or LF, upper- or lower-case, and skips padding', () => {
    const body = `${OTHER}:0\r\n${SUFFIX}:12\r\n`;

    expect(countsInRange(Buffer.from(body), new Set([SUFFIX, OTHER]))).toEqual(new Map([[SUFFIX, 12]]));
    expect(countsInRange(Buffer.from(body.toLowerCase().replaceAll('\r', '')), new Set([SUFFIX]))).toEqual(
      new Map([[SUFFIX, 12]]),
    );
  });

  it.each([
    ['a non-hex suffix', `${'Z'.repeat(35)}:12`, 1],
    ['a short suffix', `${SUFFIX.slice(1)}:12`, 1],
    ['no count', `${OTHER}:1\n${SUFFIX}:`, 2],
    ['a count of 13 digits', `${SUFFIX}:${'1'.repeat(13)}`, 1],
    ['a count that is not a number', `${SUFFIX}:12x`, 1],
    ['a CR that ends no line', `${SUFFIX}:12\r${OTHER}:1`, 1],
    ['an HTML page', '<html><body>busy</body></html>', 1],
  ])('fails closed on %s, naming the line', (_case, body, line) => {
    expect(() => countsInRange(Buffer.from(body), new Set([SUFFIX]))).toThrow(
      new BreachLookupError(`malformed range response (line ${line} is not SUFFIX:COUNT)`),
    );
  });

  it.each([
    // Each of these once read as "not breached".
    [
      'a suffix in mixed case',
      `${OTHER}:0\r\n${SUFFIX.slice(0, 20)}${SUFFIX.slice(20).toLowerCase()}:12`,
      'line 2 is not SUFFIX:COUNT',
    ],
    [
      'a wanted suffix listed first as padding and again with a count',
      `${SUFFIX}:0\r\n${SUFFIX}:12`,
      'a suffix is listed twice',
    ],
    ['a wanted suffix in both cases', `${SUFFIX.toLowerCase()}:0\n${SUFFIX}:12`, 'a suffix is listed twice'],
  ])('fails closed on %s, rather than reading one line of it', (_case, body, reason) => {
    expect(() => countsInRange(Buffer.from(body), new Set([SUFFIX]))).toThrow(`malformed range response (${reason})`);
  });

  it('fails closed on a body with no line', () => {
    expect(() => countsInRange(Buffer.from('\r\n\n'), new Set([SUFFIX]))).toThrow('empty range response');
  });

  it('agrees with the plain line-by-line reading on any mix of good, broken and blank lines', () => {
    const hex = fc.constantFrom(...'0123456789ABCDEFabcdef'.split(''));
    const suffix = fc.oneof(
      fc.constant(SUFFIX),
      fc.constant(SUFFIX.toLowerCase()),
      fc.string({ unit: hex, minLength: 35, maxLength: 35 }),
    );
    const count = fc.oneof(
      fc.nat({ max: 10_000 }).map(String),
      fc.constant('0'),
      fc.constant('1'.repeat(13)),
      fc.constant(''),
    );
    const goodLine = fc.tuple(suffix, count).map(([each, digits]) => `${each}:${digits}`);
    const brokenLine = fc.oneof(
      goodLine.map((line) => line.slice(1)),
      goodLine.map((line) => line.replace(':', ';')),
      goodLine.map((line) => `${line}x`),
      fc.string({ maxLength: 40 }),
    );
    const line = fc.oneof({ weight: 6, arbitrary: goodLine }, { weight: 1, arbitrary: brokenLine }, fc.constant(''));
    const separator = fc.oneof({ weight: 4, arbitrary: fc.constant('\r\n') }, fc.constant('\n'), fc.constant('\r'));
    const body = fc
      .array(fc.tuple(line, separator), { maxLength: 12 })
      .chain((parts) => fc.tuple(fc.constant(parts), fc.boolean()))
      .map(([parts, trailing]) => {
        const text = parts.map(([each, end]) => each + end).join('');
        return trailing || parts.length === 0 ? text : text.slice(0, -(parts.at(-1)?.[1].length ?? 0));
      });

    fc.assert(
      fc.property(body, (generated) => {
        const bytes = Buffer.from(generated, 'latin1');
        const text = bytes.toString('latin1');
        const wanted = new Set([SUFFIX, OTHER]);
        expect(outcome(() => countsInRange(bytes, wanted))).toEqual(outcome(() => reference(text, wanted)));
      }),
      { numRuns: 2000 },
    );
  });
});
