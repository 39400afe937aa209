import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_KINDS } from '../../lambdas/core/check-registry';
import { CHECKS } from '../../lambdas/core/checks';
import { CHECK_IDS } from '../../lambdas/core/finding';
import { parsePolicy } from '../../lambdas/core/policy';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** The `check` and `kind` columns of the README's table of checks, as `check:kind`. */
function readmeKinds(): string[] {
  const section = README.slice(README.indexOf('## The checks'), README.indexOf('## The inventory file'));
  return section
    .split('\n')
    .map((line) => /^\|\s*`([\w-]+)`\s*\|\s*`?([^|`]+?)`?\s*\|/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, check, kind]) => `${check}:${kind}`);
}

describe('The check registry: each check declares its kinds once, and everything else follows', () => {
  it('declares every check id, and nothing else', () => {
    expect(Object.keys(FINDING_KINDS).sort()).toEqual([...CHECK_IDS].sort());
    expect(new Set(CHECKS.map((check) => check.id)).size).toBe(CHECKS.length);
  });

  it.each(
    Object.entries(FINDING_KINDS).flatMap(([check, kinds]) => Object.keys(kinds).map((kind) => `${check}:${kind}`)),
  )('lets a policy override %s', (key) => {
    expect(parsePolicy({ severityOverrides: { [key]: 'low' } }).severityOverrides[key]).toBe('low');
  });

  it('lets a policy override the provider verdicts the README promises (the kinds that once drifted)', () => {
    expect(() =>
      parsePolicy({ severityOverrides: { 'mfa:not-enrolled': 'high', 'mfa:not-enforced': 'medium' } }),
    ).not.toThrow();
  });

  it('keeps the README table of checks in step with the declarations', () => {
    const declared = Object.entries(FINDING_KINDS)
      .filter(([check]) => check !== 'check-error')
      .flatMap(([check, kinds]) => Object.keys(kinds).map((kind) => `${check}:${kind}`));
    expect(
      readmeKinds()
        .filter((key) => !key.startsWith('check-error:'))
        .sort(),
    ).toEqual(declared.sort());
  });
});
