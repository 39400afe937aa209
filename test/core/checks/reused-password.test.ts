import { reusedPasswordCheck } from '../../../lambdas/core/checks/reused-password';
import { aContext, anAccount } from '../../support/accounts';

describe('Check: reused-password', () => {
  it('names the other accounts, sorted, and never the password', () => {
    const account = anAccount();
    const [found] = reusedPasswordCheck.run(account, aContext({ evidence: { reusedWith: ['zeta/mail', 'alpha/fb'] } }));

    expect(found).toMatchObject({ severity: 'high', evidence: { sharedWith: ['alpha/fb', 'zeta/mail'] } });
    expect(JSON.stringify(found)).not.toContain(account.password);
  });

  it('passes a password used once', () => {
    expect(reusedPasswordCheck.run(anAccount(), aContext())).toEqual([]);
  });
});
