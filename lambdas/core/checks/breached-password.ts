import { type Check, CheckUnavailableError } from '../check';
import { finding } from '../finding';

/** Critical when the password's SHA-1 is in the breach corpus. */
export const breachedPasswordCheck: Check = {
  id: 'breached-password',
  needs: ['secret-value', 'breach'],
  run(account, { evidence }) {
    const lookup = evidence.breach;
    if (lookup === undefined) throw new CheckUnavailableError('the breach corpus was not consulted');
    if (lookup.status === 'failed') throw new CheckUnavailableError(lookup.reason);
    if (lookup.status === 'not-found') return [];
    return [
      finding({
        accountId: account.id,
        check: 'breached-password',
        kind: 'breached',
        severity: 'critical',
        title: 'Password appears in a breach corpus',
        detail: `This password has been seen ${lookup.count.toLocaleString('en-GB')} times in breached data. Attackers try these first, on every site.`,
        remediation:
          'Change the password now to a new random one from a password manager, sign out other sessions, and check the account for changes you did not make.',
        evidence: { breachCount: lookup.count },
      }),
    ];
  },
};
