import { type Check, CheckUnavailableError } from '../check';

/** Critical when the password's SHA-1 is in the breach corpus. */
export const breachedPasswordCheck: Check = {
  id: 'breached-password',
  takeover: { opensLink: true, judgesLink: true },
  kinds: { breached: 'critical' },
  fixes: { breached: { does: 'change its password', page: 'change-password' } },
  needs: ['secret-value', 'breach'],
  run(_account, { evidence }) {
    const lookup = evidence.breach;
    if (lookup === undefined) throw new CheckUnavailableError('the breach corpus was not consulted');
    if (lookup.status === 'failed') throw new CheckUnavailableError(lookup.reason);
    if (lookup.status === 'not-found') return [];
    return [
      {
        kind: 'breached',
        title: 'Password appears in a breach corpus',
        detail: `This password has been seen ${withThousands(lookup.count)} times in breached data. Attackers try these first, on every site.`,
        remediation:
          'Change the password now to a new random one from a password manager, sign out other sessions, and check the account for changes you did not make.',
        evidence: { breachCount: lookup.count },
      },
    ];
  },
};

/** `1234567` as `1,234,567`, without loading ICU's number formats for it. */
function withThousands(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
