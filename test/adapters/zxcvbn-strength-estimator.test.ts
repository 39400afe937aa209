import { ZxcvbnStrengthEstimator } from '../../lambdas/adapters/zxcvbn-strength-estimator';
import { randomPassword } from '../support/passwords';

describe('Class: ZxcvbnStrengthEstimator', () => {
  const estimator = new ZxcvbnStrengthEstimator();

  it.each(['password', 'Summer2024', 'qwerty123', 'P@ssw0rd!'])('scores %s as weak', (password) => {
    expect(estimator.estimate(password, []).score).toBeLessThanOrEqual(2);
  });

  it('scores a random 20-character password as strong', () => {
    expect(estimator.estimate(randomPassword(20), []).score).toBe(4);
  });

  it("counts the account's own words as known to an attacker", () => {
    const password = 'Northshirepolice1999';

    expect(estimator.estimate(password, []).score).toBeGreaterThan(2);
    expect(estimator.estimate(password, ['northshirepolice']).score).toBeLessThanOrEqual(2);
  });

  it('scores a password of the longest accepted length', () => {
    expect(estimator.estimate(randomPassword(1024), []).score).toBe(4);
  });
});
