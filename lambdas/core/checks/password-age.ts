import type { Check } from '../check';
import { finding } from '../finding';
import { daysBetween, formatDay } from '../iso-date';

/** Medium past `mediumAfterDays`, high past `highAfterDays`, low when the change date is unknown. */
export const passwordAgeCheck: Check = {
  id: 'password-age',
  kinds: { 'too-old': 'medium', 'unknown-age': 'low' },
  run(account, { now, policy }) {
    const changedAt = account.passwordChangedAt;
    if (changedAt === undefined) {
      return [
        finding({
          accountId: account.id,
          check: 'password-age',
          kind: 'unknown-age',
          severity: 'low',
          title: 'Password age is unknown',
          detail: 'Nothing records when this password was last changed, so its age cannot be checked.',
          remediation:
            'Record the date of the last change (passwordChangedAt), or change the password now and record today.',
        }),
      ];
    }
    const { mediumAfterDays, highAfterDays } = policy.passwordAge;
    const ageDays = daysBetween(changedAt, now);
    if (ageDays <= mediumAfterDays) return [];
    return [
      finding({
        accountId: account.id,
        check: 'password-age',
        kind: 'too-old',
        severity: ageDays > highAfterDays ? 'high' : 'medium',
        title: `Password is ${ageDays} days old`,
        detail: `Last changed on ${formatDay(changedAt)}; the policy asks for a change within ${mediumAfterDays} days (high after ${highAfterDays}). Old shared passwords outlive the people who knew them.`,
        remediation:
          'Change the password to a new random one, update the stored secret, and tell only the people who still need it.',
        evidence: { ageDays, changedAt: formatDay(changedAt), mediumAfterDays, highAfterDays },
      }),
    ];
  },
};
