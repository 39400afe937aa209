import { checkFindings } from '../../../lambdas/core/check-findings';
import { reusedPasswordCheck } from '../../../lambdas/core/checks/reused-password';
import { aContext, anAccount } from '../../support/accounts';

describe('Check: reused-password', () => {
  it('names its group and the other accounts, sorted, and never the password', () => {
    const account = anAccount();
    const members = ['alpha/fb', account.id, 'zeta/mail'].sort();
    const [found] = checkFindings(
      reusedPasswordCheck,
      account,
      aContext({ evidence: { reuse: { id: 'shared-password-1', members } } }),
    );

    expect(found).toMatchObject({
      severity: 'high',
      evidence: { reuseGroup: 'shared-password-1', sharedWithCount: 2, sharedWith: ['alpha/fb', 'zeta/mail'] },
    });
    expect(JSON.stringify(found)).not.toContain(account.password);
  });

  it('names at most ten others in a large group, and says how many more and where the rest are', () => {
    const account = anAccount({ id: 'a-0000' });
    const members = Array.from({ length: 5_000 }, (_, index) => `a-${String(index).padStart(4, '0')}`);
    const [found] = checkFindings(
      reusedPasswordCheck,
      account,
      aContext({ evidence: { reuse: { id: 'shared-password-7', members } } }),
    );

    expect(found?.evidence).toEqual({
      reuseGroup: 'shared-password-7',
      sharedWithCount: 4_999,
      sharedWith: members.slice(1, 11),
    });
    expect(found?.detail).toContain('and 4989 more (shared-password-7 in the report)');
    expect(JSON.stringify(found).length).toBeLessThan(1_000);
  });

  it('passes a password used once', () => {
    expect(checkFindings(reusedPasswordCheck, anAccount(), aContext())).toEqual([]);
  });
});
