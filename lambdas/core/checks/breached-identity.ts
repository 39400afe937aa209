import { type Check, CheckPendingError, CheckUnavailableError } from '../check';
import { formatDay } from '../iso-date';

/**
 * Has the account's email appeared in a breach since its password last changed? A breach the identity breach source
 * added on or after the change (or at any time, when the change date is unknown) may hold the current password:
 * critical when the breach exposed passwords, high otherwise. Older breaches are history and pass. Evidence lists
 * breach names and dates, nothing more.
 */
export const breachedIdentityCheck: Check = {
  id: 'breached-identity',
  // It may not run (no identity source, or not reached by the rotation yet): its findings open a link, its silence
  // does not judge one.
  takeover: { opensLink: true, judgesLink: false },
  kinds: {
    'since-last-change': {
      severities: ['high', 'critical'],
      rule: 'critical when a breach exposed passwords, high otherwise',
      severityOf: (draft) => (draft.evidence?.exposedPasswords === true ? 'critical' : 'high'),
    },
  },
  fixes: { 'since-last-change': { does: 'change its password', page: 'change-password' } },
  needs: ['identity'],
  run(account, { evidence }) {
    const lookup = evidence.identity;
    if (lookup === undefined) throw new CheckUnavailableError('the identity breach source was not consulted');
    if (lookup.status === 'failed') throw new CheckUnavailableError(lookup.reason);
    if (lookup.status === 'pending') throw new CheckPendingError(lookup.reason);
    const changedAt = account.passwordChangedAt;
    const since = lookup.breaches
      .filter((breach) => changedAt === undefined || breach.addedDate.getTime() >= changedAt.getTime())
      .sort((a, b) => a.addedDate.getTime() - b.addedDate.getTime());
    if (since.length === 0) return [];
    const withPasswords = since.filter((breach) => breach.exposedPasswords);
    const names = since.map((breach) => `${breach.name} (added ${formatDay(breach.addedDate)})`);
    const when =
      changedAt === undefined
        ? 'and its password has no recorded change date'
        : `since its password last changed on ${formatDay(changedAt)}`;
    return [
      {
        kind: 'since-last-change',
        title:
          withPasswords.length > 0 ? "The login's email was in a password breach" : "The login's email was in a breach",
        detail: `Its email address appears in ${since.length} breach${since.length === 1 ? '' : 'es'} added to ${lookup.source} ${when}: ${names.join(', ')}.${withPasswords.length > 0 ? ' At least one exposed passwords.' : ''}`,
        remediation:
          'Change the password now to a new random one, check the account for sign-ins and changes you do not recognise, and turn on two-factor authentication if it is not on.',
        evidence: { breaches: names, exposedPasswords: withPasswords.length > 0 },
      },
    ];
  },
};
