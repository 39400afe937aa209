import { CheckUnavailableError } from '../../../lambdas/core/check';
import { checkFindings } from '../../../lambdas/core/check-findings';
import { weakPasswordCheck } from '../../../lambdas/core/checks/weak-password';
import { parsePolicy } from '../../../lambdas/core/policy';
import { aContext, anAccount } from '../../support/accounts';

describe('Check: weak-password', () => {
  it.each([
    [0, true],
    [2, true],
    [3, false],
    [4, false],
  ] as const)('a score of %i is weak: %s', (score, weak) => {
    const findings = checkFindings(weakPasswordCheck, anAccount(), aContext({ evidence: { strength: { score } } }));

    expect(findings.length > 0).toBe(weak);
    if (weak) expect(findings[0]).toMatchObject({ severity: 'high', evidence: { score, maxWeakScore: 2 } });
  });

  it('passes the estimator warning on, which is generic advice', () => {
    const [found] = checkFindings(
      weakPasswordCheck,
      anAccount(),
      aContext({ evidence: { strength: { score: 1, warning: 'This is a top-100 common password' } } }),
    );

    expect(found?.detail).toContain('This is a top-100 common password.');
  });

  it('uses the policy threshold', () => {
    const policy = parsePolicy({ weakPassword: { maxWeakScore: 3 } });

    expect(
      checkFindings(weakPasswordCheck, anAccount(), aContext({ policy, evidence: { strength: { score: 3 } } })),
    ).toHaveLength(1);
  });

  it('throws rather than passes when the strength was not estimated', () => {
    expect(() =>
      checkFindings(
        weakPasswordCheck,
        anAccount(),
        aContext({ evidence: { strength: { failed: 'estimator crashed' } } }),
      ),
    ).toThrow(new CheckUnavailableError('estimator crashed'));
    expect(() => checkFindings(weakPasswordCheck, anAccount(), aContext())).toThrow(CheckUnavailableError);
  });
});
