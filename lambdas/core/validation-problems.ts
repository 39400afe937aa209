import type * as z from './zod';

const MAX_KEY_LENGTH = 60;

/** A key name from untrusted input, made safe to print: no control characters, bounded length. */
export function printableKey(key: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  const visible = key.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return visible.length > MAX_KEY_LENGTH ? `${visible.slice(0, MAX_KEY_LENGTH)}…` : visible;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text === '' ? printableKey(String(part)) : `${text}.${printableKey(String(part))}`;
  }, '');
}

/**
 * Turns zod issues into one line each, `field: problem`, for the people who fix the input. The schemas that feed
 * this set their own messages; the input value itself is never part of a message, because it may be a password.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root = '(entry)'): string[] {
  return issues.flatMap((issue) => {
    const at = issue.path.length > 0 ? pathOf(issue.path) : root;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${at === root ? '' : `${at}.`}${printableKey(key)}: is not a known field`);
    }
    if (issue.code === 'invalid_key') return issue.issues.map((inner) => `${at}: ${inner.message}`);
    return [`${at}: ${issue.message}`];
  });
}
