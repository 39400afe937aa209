import { type PasswordRules, parsePasswordRules } from './password-rules';

/** A uniform random integer in [0, upper): the adapter gives `crypto.randomInt`; a test, one it can set. */
export type RandomInt = (upper: number) => number;

/** How long a generated password is, where the platform allows it. */
export const GENERATED_LENGTH = 24;
/**
 * Where a platform states no rules: letters, digits and punctuation that survive a shell, a JSON value and a web form
 * (no space, quote, backslash, `$` or backtick). 72 characters: about 148 bits in 24.
 */
const BROAD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%*+-.:=?@^_~';
/** Characters a generated password never uses, even where a platform's rules allow them. */
const AVOIDED = new Set([' ', '"', "'", '\\', '`', '$']);

const usable = (characters: string) => [...characters].filter((character) => !AVOIDED.has(character)).join('');

/**
 * A new random password for a platform with `rulesText` (or none): 24 characters where its length limits allow, at
 * least one from each required set, only characters it allows, no run longer than its `max-consecutive`. Every
 * character is drawn uniformly from what may stand there, by rejection, never by a biased modulo of another source.
 */
export function generatePassword(rulesText: string | undefined, randomInt: RandomInt): string {
  const rules: PasswordRules = (rulesText !== undefined ? parsePasswordRules(rulesText) : undefined) ?? {
    required: [],
    allowed: '',
  };
  const required = rules.required.map((set) => usable(set) || set);
  const pool = [...new Set([...required.join(''), ...usable(rules.allowed)])].join('') || BROAD;
  const length = Math.max(
    required.length,
    Math.min(Math.max(GENERATED_LENGTH, rules.minLength ?? 0), rules.maxLength ?? Number.POSITIVE_INFINITY),
  );
  for (let attempt = 0; attempt < 1000; attempt++) {
    const characters = Array.from({ length }, () => pool[randomInt(pool.length)] as string);
    // One required character at a random place of its own for each required set.
    const places = Array.from({ length }, (_, index) => index);
    for (const set of required) {
      const place = places.splice(randomInt(places.length), 1)[0] as number;
      characters[place] = set[randomInt(set.length)] as string;
    }
    if (rules.maxConsecutive === undefined || longestRun(characters) <= rules.maxConsecutive)
      return characters.join('');
  }
  throw new Error('no password meets these rules');
}

function longestRun(characters: readonly string[]): number {
  let longest = 0;
  let run = 0;
  for (let index = 0; index < characters.length; index++) {
    run = index > 0 && characters[index] === characters[index - 1] ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest;
}
