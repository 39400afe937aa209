import { randomInt } from 'node:crypto';
import { AWS_CLIENT_OPTIONS } from '../../lambdas/adapters/aws-client-options';
import { settingsOf } from '../../lambdas/core/check-settings';
import { rotationSettings } from '../../lambdas/core/checks/rotation';
import { generatePassword } from '../../lambdas/core/password-generator';
import { PlatformCatalog } from '../../lambdas/core/platform-catalog';
import { passwordRulesOf } from '../../lambdas/core/platform-links/password-rules-of';
import { DEFAULT_POLICY } from '../../lambdas/core/policy';
import type { CliIo } from './cli-io';
import { awsSetupProblem } from './inventory-source';
import { loadPolicy } from './scan-command';
import { EXIT, UsageError } from './usage-error';

export const ROTATE_STEPS = ['start', 'confirm', 'abort'] as const;
export type RotateStep = (typeof ROTATE_STEPS)[number];

export interface RotateOptions {
  readonly tagKey: string;
  readonly policy?: string;
}

/**
 * `credential-hygiene rotate start|confirm|abort SECRET`: a person-in-the-loop change of a shared login's password in
 * Secrets Manager (see SecretsManagerRotation). Prints what was done and what the owner does next.
 */
export async function runRotateCommand(step: RotateStep, secret: string, options: RotateOptions, io: CliIo) {
  const now = new Date();
  const policy = options.policy === undefined ? DEFAULT_POLICY : await loadPolicy(options.policy, now);
  const catalog = PlatformCatalog.bundled(policy.platforms);
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const { RotationRefused, SecretsManagerRotation } = await import('../../lambdas/adapters/secrets-manager-rotation');
  const { rotationNotice } = await import('../../lambdas/adapters/secrets-manager-rotation-notice');
  const rotation = new SecretsManagerRotation({
    client: new SecretsManagerClient(AWS_CLIENT_OPTIONS),
    tagKey: options.tagKey,
  });
  try {
    const outcome =
      step === 'start'
        ? await rotation.start(
            secret,
            (platform) => generatePassword(passwordRulesOf(platform, catalog), randomInt),
            now,
          )
        : step === 'confirm'
          ? await rotation.confirm(secret, now)
          : await rotation.abort(secret);
    const link = catalog.linkOf(outcome.platform, 'change-password')?.url;
    io.stdout.write(
      rotationNotice(outcome, {
        ...(link !== undefined && { changePasswordLink: link }),
        pendingMaxDays: settingsOf(policy, rotationSettings).pendingMaxDays,
      }),
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RotationRefused) throw new UsageError(error.message);
    if (error instanceof UsageError) throw error;
    throw new UsageError(`rotate ${step} ${secret}: ${awsSetupProblem(error)}`);
  }
}
