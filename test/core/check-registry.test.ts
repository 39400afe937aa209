import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { severitiesOf } from '../../lambdas/core/check';
import { CHECK_SETTINGS, FINDING_KINDS, TAKEOVER_LINKS } from '../../lambdas/core/check-registry';
import { settingsOf } from '../../lambdas/core/check-settings';
import { CHECKS } from '../../lambdas/core/checks';
import { rotationSettings } from '../../lambdas/core/checks/rotation';
import { CHECK_IDS, type CheckId, finding } from '../../lambdas/core/finding';
import { parsePolicy } from '../../lambdas/core/policy';
import { SEVERITIES } from '../../lambdas/core/severity';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** The rows of the README's table of checks: `check:kind` and its severity column. */
function readmeRows(): { readonly key: string; readonly severity: string }[] {
  const start = README.indexOf('## The checks');
  const section = README.slice(start, README.indexOf('\n## ', start + 1));
  return section
    .split('\n')
    .map((line) => /^\|\s*`([\w-]+)`\s*\|\s*`?([^|`]+?)`?\s*\|([^|]*)\|/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, check, kind, severity]) => ({ key: `${check}:${kind}`, severity: severity?.trim() ?? '' }));
}

const readmeKinds = () => readmeRows().map((row) => row.key);

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

  it('declares how each of its kinds is fixed, and the derived kinds among its own', () => {
    for (const check of CHECKS) {
      expect([check.id, Object.keys(check.fixes).sort()]).toEqual([check.id, Object.keys(check.kinds).sort()]);
      for (const step of Object.values(check.fixes)) expect(step.does).toMatch(/^[a-z][a-z ,'-]+$/);
      for (const kind of check.derived?.kinds ?? []) expect(Object.keys(check.kinds)).toContain(kind);
    }
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

  it("states each kind's severities in the README table as declared, and no other", () => {
    const stated = readmeRows()
      .filter((row) => !row.key.startsWith('check-error:'))
      .map((row) => ({
        key: row.key,
        severities: SEVERITIES.filter((severity) => new RegExp(`\\b${severity}\\b`).test(row.severity)),
      }));
    const declared = Object.fromEntries(
      Object.entries(FINDING_KINDS).flatMap(([check, kinds]) =>
        Object.entries(kinds).map(([kind, declaration]) => [`${check}:${kind}`, severitiesOf(declaration)]),
      ),
    );

    expect(Object.fromEntries(stated.map(({ key, severities }) => [key, [...severities].sort()]))).toEqual(
      Object.fromEntries(stated.map(({ key }) => [key, [...(declared[key] ?? [])].sort()])),
    );
  });

  it('gathers from the checks which findings open a takeover link and which checks judge one', () => {
    const opening = Object.entries(FINDING_KINDS)
      .flatMap(([check, kinds]) =>
        Object.keys(kinds).map((kind) =>
          finding({
            accountId: 'a',
            check: check as CheckId,
            kind,
            severity: 'high',
            title: 't',
            detail: 'd',
            remediation: 'r',
          }),
        ),
      )
      .filter((found) => TAKEOVER_LINKS.opens(found))
      .map((found) => found.id.slice(2).replace(/:.*/, ''));

    // Its age alone does not open a link (an old strong password still holds), nor a second factor not enforced.
    expect([...new Set(opening)].sort()).toEqual(
      [
        'breached-identity',
        'breached-password',
        'check-error',
        'invalid-secret',
        'knowers',
        'mfa',
        'reused-password',
        'weak-password',
      ].sort(),
    );
    expect(
      TAKEOVER_LINKS.opens(
        finding({
          accountId: 'a',
          check: 'mfa',
          kind: 'not-enforced',
          severity: 'low',
          title: 't',
          detail: 'd',
          remediation: 'r',
        }),
      ),
    ).toBe(false);
    expect([...TAKEOVER_LINKS.judgingChecks].sort()).toEqual([
      'breached-password',
      'mfa',
      'reused-password',
      'weak-password',
    ]);
  });

  it("gathers the checks' own thresholds into the policy: policy.ts and policy-model.ts name none of them", () => {
    const sources = ['policy.ts', 'policy-model.ts'].map((file) =>
      readFileSync(join(__dirname, '../../lambdas/core', file), 'utf8'),
    );
    const keys = CHECK_SETTINGS.map((settings) => settings.key);

    expect(keys.sort()).toEqual(['knowers', 'mfa', 'passwordAge', 'rotation', 'weakPassword']);
    expect(keys.filter((key) => key !== 'mfa' && sources.some((source) => source.includes(key)))).toEqual([]);
    expect(settingsOf(parsePolicy({ rotation: { graceDays: 0 } }), rotationSettings)).toEqual({
      graceDays: 0,
      pendingMaxDays: 7,
    });
  });
});
