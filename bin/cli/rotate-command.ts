import { randomInt } from 'node:crypto';
import { AWS_CLIENT_OPTIONS } from '../../lambdas/adapters/aws-client-options';
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
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const { RotationRefused, SecretsManagerRotation, rotationContextOf, rotationStep } = await import(
    '../../lambdas/adapters/secrets-manager-rotation'
  );
  const rotation = new SecretsManagerRotation({
    client: new SecretsManagerClient(AWS_CLIENT_OPTIONS),
    tagKey: options.tagKey,
  });
  try {
    const { notice } = await rotationStep(rotation, step, secret, rotationContextOf(policy, now, randomInt));
    io.stdout.write(notice);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RotationRefused) throw new UsageError(error.message);
    if (error instanceof UsageError) throw error;
    throw new UsageError(`rotate ${step} ${secret}: ${awsSetupProblem(error)}`);
  }
}
