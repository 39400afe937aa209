import * as z from './zod';

/**
 * Text that comes from outside (an inventory, a secret's tags, a policy) is refused, not cleaned, where it holds what
 * could move a terminal's cursor, hide a character or reorder a line: one set of rules for every file a person writes.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Characters that make one name print as another: bidirectional overrides and isolates, zero-width characters, the
 * byte-order mark, soft hyphens (Unicode's "format" category), and line and paragraph separators. Refused in names
 * (ids, owners, usernames, emails, a platform's name, who accepted a risk), where `press-office/x` and a look-alike must
 * never be two accounts that read alike.
 */
export const INVISIBLE_OR_REORDERING = /[\p{Cf}\u2028\u2029]/u;

export function expected(what: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);
}

/** Well-formed text of at most `max` characters, with no control character. */
export function text(max: number, what = 'a string') {
  return z.string({ error: expected(what) }).check(
    z.maxLength(max, { error: `must be at most ${max} characters`, abort: true }),
    z.refine((value) => value.isWellFormed(), { error: 'is not valid Unicode', abort: true }),
    z.refine((value) => !CONTROL_CHARACTERS.test(value), { error: 'contains control characters', abort: true }),
  );
}

/** A name people read: also free of characters that hide or reorder text. */
export function name(max: number, what?: string) {
  return text(max, what).check(
    z.refine((value) => !INVISIBLE_OR_REORDERING.test(value), {
      error:
        'contains invisible or text-reordering characters (bidirectional controls, zero-width characters, line separators)',
      abort: true,
    }),
  );
}
