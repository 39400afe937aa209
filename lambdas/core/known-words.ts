import type { Account } from './account';

/** The kinds of part a password made only of known words has: what a finding names, never the parts themselves. */
export type KnownPart = 'words the organisation is known by' | 'a year' | 'digits' | 'separators';

/** A word shorter than this is not one an attacker's list needs (`uk`, `x`): it would match inside random text. */
const MIN_WORD_LENGTH = 3;

/** The common substitutions of a letter by a digit or a symbol (`0` for `o`, `@` for `a`), by the character used. */
const SUBSTITUTES: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'il',
  '!': 'i',
  '3': 'e',
  '4': 'a',
  '@': 'a',
  '5': 's',
  $: 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
};

/**
 * The words an attacker of this organisation knows for this login, lower-cased: the labels of the organisation's
 * domains and of the login's email, username and owner, split at dots, dashes, underscores and `@`, and the
 * platform's name and domain labels. Each also whole (`northshirepolice`), as it is written.
 */
export function knownWordsOf(
  account: Pick<Account, 'email' | 'username' | 'owner' | 'platform'>,
  organisationDomains: readonly string[],
  platformName: string | undefined,
): string[] {
  const phrases = [
    ...organisationDomains,
    account.email,
    account.username,
    account.owner,
    account.platform,
    platformName,
  ];
  const words = new Set<string>();
  for (const phrase of phrases) {
    if (phrase === undefined) continue;
    const lower = phrase.toLowerCase();
    if (lower.length >= MIN_WORD_LENGTH && WORD_CHARACTERS.test(lower)) words.add(lower);
    for (const part of wordsOf(lower)) words.add(part);
  }
  return [...words];
}

const WORD_CHARACTERS = /^[\p{L}\p{N}]+$/u;
const NOT_WORD_CHARACTERS = /[^\p{L}\p{N}]+/u;

/** A phrase's words, split at anything not a letter or a digit, each long enough to be worth an attacker's guess. */
export function wordsOf(phrase: string): string[] {
  return phrase.split(NOT_WORD_CHARACTERS).filter((word) => word.length >= MIN_WORD_LENGTH);
}

/**
 * What a password is made of when it is nothing but known words (in any case, with common substitutions), digits
 * and separators, with at least one word: `Eastbridge#Comms2022` for a login of eastbridge-council.example's comms
 * team. Undefined when any part of it is none of those (a random password that happens to hold one such word).
 * Linear in the password for a bounded list of words: each position is reached once.
 */
export function madeOfKnownWords(password: string, words: readonly string[]): KnownPart[] | undefined {
  const text = password.toLowerCase();
  // Most passwords are random: one that cannot even begin with a known part is settled before anything is built.
  if (!/^[\d\P{L}]/u.test(text) && !words.some((word) => wordAt(text, 0, word))) return undefined;
  const byFirst = new Map<string, string[]>();
  for (const word of words) {
    const first = word[0] as string;
    byFirst.set(first, [...(byFirst.get(first) ?? []), word]);
  }
  // Each position reached, with the parts that led there: one way with a word among them and one without (the first
  // found of each), so that a way without a word never hides one with. The end reached with a word is a match.
  const WORD: KnownPart = 'words the organisation is known by';
  const reached = new Map<string, ReadonlySet<KnownPart>>([['0:false', new Set()]]);
  for (let at = 0; at < text.length; at++) {
    for (const parts of [reached.get(`${at}:true`), reached.get(`${at}:false`)]) {
      if (parts === undefined) continue;
      const reach = (end: number, part: KnownPart) => {
        const key = `${end}:${parts.has(WORD) || part === WORD}`;
        if (!reached.has(key)) reached.set(key, new Set([...parts, part]));
      };
      const char = text[at] as string;
      for (const letter of new Set([char, ...(SUBSTITUTES[char] ?? '')])) {
        for (const word of byFirst.get(letter) ?? []) {
          if (wordAt(text, at, word)) reach(at + word.length, WORD);
        }
      }
      const digits = /^\d+/.exec(text.slice(at, at + 64))?.[0];
      if (digits !== undefined) reach(at + digits.length, /^(19|20)\d\d$/.test(digits) ? 'a year' : 'digits');
      const separators = /^[^\p{L}\p{N}]+/u.exec(text.slice(at, at + 64))?.[0];
      if (separators !== undefined) reach(at + separators.length, 'separators');
    }
  }
  const parts = reached.get(`${text.length}:true`);
  if (parts === undefined) return undefined;
  return [WORD, 'a year', 'digits', 'separators'].filter((part): part is KnownPart => parts.has(part as KnownPart));
}

/** Whether `word` is written at `at`, each letter as itself or as one of its substitutes. */
function wordAt(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let index = 0; index < word.length; index++) {
    const char = text[at + index] as string;
    const letter = word[index] as string;
    if (char !== letter && !(SUBSTITUTES[char] ?? '').includes(letter)) return false;
  }
  return true;
}
