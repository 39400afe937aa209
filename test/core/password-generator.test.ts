import { randomInt } from 'node:crypto';
import { GENERATED_LENGTH, generatePassword } from '../../lambdas/core/password-generator';
import { parsePasswordRules } from '../../lambdas/core/password-rules';
import { PlatformCatalog } from '../../lambdas/core/platform-catalog';
import vendored from '../../lambdas/core/platform-links/password-rules.json';
import { passwordRulesOf } from '../../lambdas/core/platform-links/password-rules-of';

const longestRun = (text: string) => Math.max(...(text.match(/(.)\1*/g) ?? ['']).map((run) => run.length));

describe('password rules (the notation of Apple password-manager-resources)', () => {
  it('reads lengths, required sets, allowed characters and runs', () => {
    expect(
      parsePasswordRules(
        'minlength: 8; maxlength: 16; max-consecutive: 2; required: lower, upper; required: [-_]; allowed: digit;',
      ),
    ).toEqual({
      minLength: 8,
      maxLength: 16,
      maxConsecutive: 2,
      required: ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', '-_'],
      allowed: '0123456789',
    });
  });

  it('ends a [list] only where a comma, a semicolon or the end follows its ], so ] and ; can be members', () => {
    expect(parsePasswordRules('required: [;,]]; allowed: [[\\]];')).toEqual({ required: [';,]'], allowed: '[\\]' });
  });

  it('refuses what it does not know, so an unread rule is never ignored', () => {
    for (const text of [
      'required: emoji;',
      'minlength: eight;',
      'forbidden: digit;',
      'required: [abc',
      'minlength: 9; maxlength: 8;',
    ]) {
      expect(parsePasswordRules(text)).toBeUndefined();
    }
  });

  it("reads every vendored platform's rules", () => {
    for (const text of Object.values(vendored.rules)) expect(parsePasswordRules(text)).toBeDefined();
    expect(Object.keys(vendored.rules).length).toBeGreaterThan(400);
  });
});

describe('generatePassword', () => {
  it('follows each vendored platform rule: length, required sets, allowed characters, runs', () => {
    for (const text of Object.values(vendored.rules)) {
      const rules = parsePasswordRules(text);
      if (rules === undefined) throw new Error('unreadable');
      const password = generatePassword(text, randomInt);
      const allowed = new Set([...rules.required.join(''), ...rules.allowed]);
      expect(password.length).toBeGreaterThanOrEqual(rules.minLength ?? 1);
      expect(password.length).toBeLessThanOrEqual(rules.maxLength ?? GENERATED_LENGTH);
      for (const set of rules.required) expect([...password].some((character) => set.includes(character))).toBe(true);
      if (allowed.size > 0) for (const character of password) expect(allowed.has(character)).toBe(true);
      if (rules.maxConsecutive !== undefined) expect(longestRun(password)).toBeLessThanOrEqual(rules.maxConsecutive);
    }
  });

  it('without rules: 24 characters from a broad set with no space, quote, backslash, $ or backtick', () => {
    const passwords = Array.from({ length: 200 }, () => generatePassword(undefined, randomInt));
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9!#%*+\-.:=?@^_~]{24}$/);
    expect(new Set(passwords).size).toBe(200);
  });

  it('draws from the random source it is given (a test can set it)', () => {
    expect(generatePassword(undefined, () => 0)).toBe('A'.repeat(24));
  });

  it("uses the rules of a platform's domain or alias (twitter.com's for x.com)", () => {
    const catalog = PlatformCatalog.bundled();
    expect(passwordRulesOf('x.com', catalog)).toBe(vendored.rules['twitter.com' as keyof typeof vendored.rules]);
    expect(passwordRulesOf('unknown.example', catalog)).toBeUndefined();
  });
});
