import { checkFindings } from '../../../lambdas/core/check-findings';
import { passwordAgeCheck } from '../../../lambdas/core/checks/password-age';
import { parsePolicy } from '../../../lambdas/core/policy';
import { aContext, anAccount, NOW } from '../../support/accounts';

const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe('Check: password-age', () => {
  it.each([
    [0, undefined],
    [180, undefined],
    [181, 'medium'],
    [365, 'medium'],
    [366, 'high'],
    [4000, 'high'],
  ])('a password changed %i days ago gives %s', (days, severity) => {
    const findings = checkFindings(passwordAgeCheck, anAccount({ passwordChangedAt: daysAgo(days) }), aContext());

    expect(findings.map((found) => found.severity)).toEqual(severity ? [severity] : []);
    if (severity) {
      expect(findings[0]).toMatchObject({ id: 'press-office/x#password-age:too-old', evidence: { ageDays: days } });
      expect(findings[0]?.remediation).toMatch(/change the password/i);
    }
  });

  it('reports a low finding when the change date is unknown', () => {
    const [found, ...rest] = checkFindings(passwordAgeCheck, anAccount({ passwordChangedAt: undefined }), aContext());

    expect(rest).toHaveLength(0);
    expect(found).toMatchObject({ severity: 'low', id: 'press-office/x#password-age:unknown-age' });
  });

  it('takes its thresholds from the policy', () => {
    const policy = parsePolicy({ passwordAge: { mediumAfterDays: 30, highAfterDays: 90 } });

    const at = (days: number) =>
      checkFindings(passwordAgeCheck, anAccount({ passwordChangedAt: daysAgo(days) }), aContext({ policy }))[0]
        ?.severity;

    expect([at(30), at(31), at(91)]).toEqual([undefined, 'medium', 'high']);
  });
});
