/**
 * A platform's password rules in the notation of Apple's password-manager-resources (`minlength: 8; maxlength: 16;
 * required: lower; required: upper, digit; allowed: [-_.]; max-consecutive: 2;`): each `required` is a set of
 * characters at least one of which the password must hold; `allowed` adds characters it may hold; the named classes are
 * `upper`, `lower`, `digit`, `special`, `ascii-printable` and `unicode`, and `[...]` lists characters (a `]` ends the
 * list only where a `,`, a `;` or the end follows it).
 */
export interface PasswordRules {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly maxConsecutive?: number;
  /** Each a set the password must draw at least one character from. */
  readonly required: readonly string[];
  /** Characters it may hold besides the required ones. */
  readonly allowed: string;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGIT = '0123456789';
/** The notation's `special`: ASCII punctuation and the space. */
const SPECIAL = '-~!@#$%^&*_+=`|(){}[:;"\'<>,.?]/\\ ';
const ASCII_PRINTABLE = `${UPPER}${LOWER}${DIGIT}${SPECIAL}`;
const CLASSES: Readonly<Record<string, string>> = {
  upper: UPPER,
  lower: LOWER,
  digit: DIGIT,
  special: SPECIAL,
  'ascii-printable': ASCII_PRINTABLE,
  // A generated password keeps to printable ASCII, which every platform that allows any character allows.
  unicode: ASCII_PRINTABLE,
};

/** The rules, or undefined when the text holds one this reader does not know (then it is not used at all). */
export function parsePasswordRules(text: string): PasswordRules | undefined {
  let at = 0;
  const rules: {
    minLength?: number;
    maxLength?: number;
    maxConsecutive?: number;
    required: string[];
    allowed: string;
  } = { required: [], allowed: '' };
  const skipSpaces = () => {
    while (text[at] === ' ') at++;
  };
  while (at < text.length) {
    skipSpaces();
    if (at >= text.length) break;
    const colon = text.indexOf(':', at);
    if (colon < 0) return undefined;
    const name = text.slice(at, colon).trim().toLowerCase();
    at = colon + 1;
    skipSpaces();
    if (name === 'minlength' || name === 'maxlength' || name === 'max-consecutive') {
      const end = text.indexOf(';', at);
      const value = Number(text.slice(at, end < 0 ? undefined : end).trim());
      if (!Number.isInteger(value) || value < 1) return undefined;
      if (name === 'minlength') rules.minLength = value;
      else if (name === 'maxlength') rules.maxLength = value;
      else rules.maxConsecutive = value;
      at = end < 0 ? text.length : end + 1;
      continue;
    }
    if (name !== 'required' && name !== 'allowed') return undefined;
    let characters = '';
    for (;;) {
      skipSpaces();
      if (text[at] === '[') {
        let close = at + 1;
        while (close < text.length && !(text[close] === ']' && /^\s*(,|;|$)/.test(text.slice(close + 1)))) close++;
        if (close >= text.length) return undefined;
        characters += text.slice(at + 1, close);
        at = close + 1;
      } else {
        const word = /^[a-z-]+/i.exec(text.slice(at))?.[0]?.toLowerCase() ?? '';
        const members = CLASSES[word];
        if (members === undefined) return undefined;
        characters += members;
        at += word.length;
      }
      skipSpaces();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === ';' || at >= text.length) {
        at++;
        break;
      }
      return undefined;
    }
    if (name === 'required') rules.required.push(uniqueCharacters(characters));
    else rules.allowed = uniqueCharacters(rules.allowed + characters);
  }
  if (rules.minLength !== undefined && rules.maxLength !== undefined && rules.minLength > rules.maxLength)
    return undefined;
  return rules;
}

function uniqueCharacters(text: string): string {
  return [...new Set(text)].join('');
}
