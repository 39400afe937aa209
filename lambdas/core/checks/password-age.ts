import type { Check } from '../check';
import { type CheckSettings, settingsOf } from '../check-settings';
import { daysBetween, formatDay } from '../iso-date';
import { days } from '../policy-fields';
import * as z from '../zod';

/** The policy's `passwordAge`: when an old password is a finding, and when a high one. */
export const passwordAgeSettings: CheckSettings<{ readonly mediumAfterDays: number; readonly highAfterDays: number }> =
  {
    key: 'passwordAge',
    schema: z.strictObject(
      {
        /** Medium past this many days since the password last changed. */
        mediumAfterDays: z.optional(days),
        /** High past this many days. */
        highAfterDays: z.optional(days),
      },
      { error: 'must be an object' },
    ),
    defaults: { mediumAfterDays: 180, highAfterDays: 365 },
    problemsOf: ({ mediumAfterDays, highAfterDays }) =>
      highAfterDays <= mediumAfterDays
        ? [`highAfterDays: must be more than passwordAge.mediumAfterDays (${mediumAfterDays})`]
        : [],
  };

/** Medium past `mediumAfterDays`, high past `highAfterDays`, low when the change date is unknown. */
export const passwordAgeCheck: Check = {
  id: 'password-age',
  settings: passwordAgeSettings,
  kinds: {
    'too-old': {
      severities: ['medium', 'high'],
      rule: 'medium past passwordAge.mediumAfterDays, high past passwordAge.highAfterDays',
      severityOf: (draft, _account, { policy }) =>
        Number(draft.evidence?.ageDays) > settingsOf(policy, passwordAgeSettings).highAfterDays ? 'high' : 'medium',
    },
    'unknown-age': 'low',
  },
  fixes: {
    'too-old': { does: 'change its password', page: 'change-password' },
    'unknown-age': { does: 'record when its password last changed' },
  },
  run(account, { now, policy }) {
    const changedAt = account.passwordChangedAt;
    if (changedAt === undefined) {
      return [
        {
          kind: 'unknown-age',
          title: 'Password age is unknown',
          detail: 'Nothing records when this password was last changed, so its age cannot be checked.',
          remediation:
            'Record the date of the last change (passwordChangedAt), or change the password now and record today.',
        },
      ];
    }
    const { mediumAfterDays, highAfterDays } = settingsOf(policy, passwordAgeSettings);
    const ageDays = daysBetween(changedAt, now);
    if (ageDays <= mediumAfterDays) return [];
    return [
      {
        kind: 'too-old',
        title: `Password is ${ageDays} days old`,
        detail: `Last changed on ${formatDay(changedAt)}; the policy asks for a change within ${mediumAfterDays} days (high after ${highAfterDays}). Old shared passwords outlive the people who knew them.`,
        remediation:
          'Change the password to a new random one, update the stored secret, and tell only the people who still need it.',
        evidence: { ageDays, changedAt: formatDay(changedAt), mediumAfterDays, highAfterDays },
      },
    ];
  },
};
