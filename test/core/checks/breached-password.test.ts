import { CheckUnavailableError } from '../../../lambdas/core/check';
import { checkFindings } from '../../../lambdas/core/check-findings';
import { breachedPasswordCheck } from '../../../lambdas/core/checks/breached-password';
import { aContext, anAccount } from '../../support/accounts';

describe('Check: breached-password', () => {
  it('is critical when the corpus holds the password, with the count as evidence', () => {
    const [found] = checkFindings(
      breachedPasswordCheck,
      anAccount(),
      aContext({ evidence: { breach: { status: 'found', count: 52_256 } } }),
    );

    expect(found).toMatchObject({
      check: 'breached-password',
      severity: 'critical',
      evidence: { breachCount: 52_256 },
    });
    expect(found?.detail).toContain('52,256');
  });

  it.each([
    [7, ' 7 times'],
    [1000, ' 1,000 times'],
    [52_256_100, ' 52,256,100 times'],
  ])('writes the count %s with thousands separators', (count, text) => {
    const [found] = checkFindings(
      breachedPasswordCheck,
      anAccount(),
      aContext({ evidence: { breach: { status: 'found', count } } }),
    );

    expect(found?.detail).toContain(text);
  });

  it('passes when the corpus does not hold it', () => {
    expect(
      checkFindings(breachedPasswordCheck, anAccount(), aContext({ evidence: { breach: { status: 'not-found' } } })),
    ).toEqual([]);
  });

  it('throws rather than passes when the lookup failed or never ran', () => {
    const failed = aContext({ evidence: { breach: { status: 'failed', reason: 'HTTP 503' } } });

    expect(() => checkFindings(breachedPasswordCheck, anAccount(), failed)).toThrow(
      new CheckUnavailableError('HTTP 503'),
    );
    expect(() => checkFindings(breachedPasswordCheck, anAccount(), aContext())).toThrow(CheckUnavailableError);
  });
});
