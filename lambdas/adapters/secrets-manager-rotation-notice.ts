import type { AbortOutcome, ConfirmOutcome, StartOutcome } from './secrets-manager-rotation';

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * What the login's owner is told after a rotation step: where to change the password, how to read the new one, and
 * what to run next. Names, links and commands only: the new password is read by the owner from the vault, never sent.
 */
export function rotationNotice(
  step: StartOutcome | ConfirmOutcome | AbortOutcome,
  context: { readonly changePasswordLink?: string; readonly pendingMaxDays: number },
): string {
  const { secret, platform } = step;
  const owner = step.owner === undefined ? '' : ` (owner: ${step.owner})`;
  switch (step.outcome) {
    case 'started':
    case 'already-pending': {
      const since = step.since === undefined ? '' : ` since ${day(step.since)}`;
      const lead =
        step.outcome === 'started'
          ? `A new password for ${secret}${owner} on ${platform} is stored as the secret's pending version.`
          : `A change of password for ${secret}${owner} on ${platform} is already pending${since}: the same pending password is kept.`;
      return [
        lead,
        '  1. Read it (it is never sent):',
        `       aws secretsmanager get-secret-value --secret-id ${secret} --version-stage AWSPENDING --query SecretString --output text`,
        "     or open the secret in the Secrets Manager console and retrieve its AWSPENDING version's value.",
        `  2. Change the password on ${platform} to it${context.changePasswordLink ? `: ${context.changePasswordLink}` : ''}.`,
        `  3. Then confirm: credential-hygiene rotate confirm ${secret}`,
        `     (or, if you do not change it: credential-hygiene rotate abort ${secret}).`,
        `Until it is confirmed the monitor checks the current password; after ${context.pendingMaxDays} days pending it reports rotation:pending-stuck.`,
        '',
      ].join('\n');
    }
    case 'confirmed':
      return `${secret}${owner}: the new password is now the current one${step.changedAt ? `, changed ${step.changedAt.toISOString()}` : ''}; its age counts from then.\n`;
    case 'aborted':
      return `${secret}${owner}: the pending password was dropped; the current one stays as it is.\n`;
    default:
      return `${secret}${owner}: no change of password is pending (start one with credential-hygiene rotate start ${secret}).\n`;
  }
}
