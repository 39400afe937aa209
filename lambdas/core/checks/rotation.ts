import type { Check, FindingDraft } from '../check';
import { type CheckSettings, settingsOf } from '../check-settings';
import { daysBetween, formatDay } from '../iso-date';
import * as z from '../zod';

/**
 * Secrets Manager rotation: medium when rotation is on but has not happened within its interval plus a grace period
 * (a rotation that keeps failing), and when a secret still tagged for monitoring is scheduled for deletion.
 * Accounts without rotation metadata (the local inventory) pass.
 */
/**
 * The policy's `rotation`: the days past its interval before a rotation counts as failing, and the days a change of
 * password started by its owner (`rotate start`) may wait for its confirmation.
 */
export const rotationSettings: CheckSettings<{ readonly graceDays: number; readonly pendingMaxDays: number }> = {
  key: 'rotation',
  schema: z.strictObject(
    {
      graceDays: z.optional(z.number({ error: 'must be a number of days' }).check(z.int(), z.gte(0), z.lte(365))),
      pendingMaxDays: z.optional(z.number({ error: 'must be a number of days' }).check(z.int(), z.gte(1), z.lte(365))),
    },
    { error: 'must be an object' },
  ),
  defaults: { graceDays: 3, pendingMaxDays: 7 },
};

export const rotationCheck: Check = {
  id: 'rotation',
  settings: rotationSettings,
  kinds: { failing: 'medium', 'scheduled-deletion': 'medium', 'pending-stuck': 'high' },
  fixes: {
    failing: { does: 'repair its rotation' },
    'scheduled-deletion': { does: 'cancel its deletion, or retire it' },
    'pending-stuck': { does: 'finish or abort the password change', page: 'change-password' },
  },
  run(account, { now, policy, store }) {
    const findings: FindingDraft[] = [];
    if (account.deletionScheduledAt !== undefined) {
      findings.push({
        kind: 'scheduled-deletion',
        title: 'Secret is scheduled for deletion',
        detail: `The secret will be deleted on ${formatDay(account.deletionScheduledAt)} but is still tagged for monitoring: if the login is still in use, its only stored password is about to disappear.`,
        remediation:
          'If the login is still used, cancel the deletion (restore-secret); if it is retired, close the account on the platform and remove the monitoring tag.',
        evidence: { deletionDate: formatDay(account.deletionScheduledAt) },
      });
    }
    const rotation = account.rotation;
    const { graceDays, pendingMaxDays } = settingsOf(policy, rotationSettings);
    const pendingSince = rotation?.pendingSince;
    if (pendingSince !== undefined && daysBetween(pendingSince, now) > pendingMaxDays) {
      findings.push({
        kind: 'pending-stuck',
        title: 'A password change was started and not finished',
        detail: `A new password was generated for this login on ${formatDay(pendingSince)} and is waiting as the pending version; the change has been neither confirmed nor aborted for ${daysBetween(pendingSince, now)} days. The vault and the platform may now disagree: if the platform has the new password, the monitor still checks the old one, and whoever reads the login gets a password that no longer works.`,
        remediation: `If the password was changed on the platform, ${store.confirmChange}; if it was not, ${store.abortChange}.`,
        evidence: { pendingSince: formatDay(pendingSince), pendingMaxDays },
      });
    }
    if (!rotation?.enabled) return findings;
    const since = rotation.lastRotatedAt ?? rotation.createdAt;
    const dueBy =
      rotation.intervalDays !== undefined && since !== undefined
        ? new Date(since.getTime() + rotation.intervalDays * 86_400_000)
        : rotation.nextRotationAt;
    if (dueBy === undefined || daysBetween(dueBy, now) <= graceDays) return findings;
    const last =
      rotation.lastRotatedAt === undefined
        ? 'has never rotated'
        : `last rotated on ${formatDay(rotation.lastRotatedAt)}`;
    findings.push({
      kind: 'failing',
      title: 'Rotation is overdue',
      detail: `Rotation is enabled but the secret ${last}; it was due by ${formatDay(dueBy)}. A rotation that keeps failing leaves the old password in place while everyone believes it changes.`,
      remediation: `Check the rotation function's logs for the error, fix it, and ${store.rotateNow}.`,
      evidence: {
        dueBy: formatDay(dueBy),
        ...(rotation.lastRotatedAt !== undefined && { lastRotatedAt: formatDay(rotation.lastRotatedAt) }),
        ...(rotation.intervalDays !== undefined && { intervalDays: rotation.intervalDays }),
        graceDays,
      },
    });
    return findings;
  },
};
