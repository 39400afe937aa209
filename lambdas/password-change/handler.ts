import { randomInt } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AWS_CLIENT_OPTIONS } from '../adapters/aws-client-options';
import { rotationContextOf, rotationStep, SecretsManagerRotation } from '../adapters/secrets-manager-rotation';
import { SafeToShowError, safeMessageOf } from '../core/safe-to-show-error';
import { describeIssues } from '../core/validation-problems';
import * as z from '../core/zod';
import { bundledSettings, readEnvironment } from '../shared/environment';
import { withSourceMappedStack } from '../shared/source-mapped-stack';

const logger = new Logger({ serviceName: 'password-change' });

/** The SNS attribute subscriptions filter on: the owner's email hears of it; no SMS filter lets `info` through. */
const NOTICE_SEVERITY = 'info';

const eventSchema = z.strictObject(
  {
    step: z.enum(['start', 'confirm', 'abort'], { error: 'must be start, confirm or abort' }),
    secretId: z.string({ error: 'must be a secret name or ARN' }).check(z.minLength(1), z.maxLength(2048)),
  },
  { error: 'must be an object' },
);

/** A request this function cannot act on: the invoker gets this message, which quotes nothing of the secret. */
export class PasswordChangeRequestError extends SafeToShowError {
  override readonly name = 'PasswordChangeRequestError';
}

export interface PasswordChangeResult {
  readonly step: 'start' | 'confirm' | 'abort';
  readonly outcome: string;
  readonly secret: string;
  readonly platform: string;
  readonly owner?: string;
  /** What the owner is told: where to change the password and how to read the new one; never the password. */
  readonly notice: string;
  /** Whether the notice went to the owner through the findings topic (it does whenever the login has an owner). */
  readonly notified: boolean;
}

/**
 * `rotate` for a platform team that drives it from a runbook: `{"step": "start", "secretId": "press-office/x"}`, as
 * the CLI's `rotate start press-office/x`. A function of its own, so that the scheduled checks keep roles that can
 * write no secret. The owner is told through the findings topic; the invoker gets the same notice back.
 */
export async function handler(event: unknown): Promise<PasswordChangeResult> {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) {
    throw new PasswordChangeRequestError(
      `the event ${describeIssues(parsed.error.issues, 'event').join('; ')} (e.g. {"step": "start", "secretId": "press-office/x"})`,
    );
  }
  const { step, secretId } = parsed.data;
  const environment = readEnvironment({ ...bundledSettings(), ...process.env });
  const rotation = new SecretsManagerRotation({
    client: new SecretsManagerClient(AWS_CLIENT_OPTIONS),
    tagKey: environment.tagKey,
  });
  try {
    const { outcome, notice } = await rotationStep(
      rotation,
      step,
      secretId,
      rotationContextOf(environment.policy, new Date(), randomInt),
    );
    const notified = outcome.owner !== undefined && outcome.outcome !== 'nothing-pending';
    if (notified && outcome.owner !== undefined) {
      await new SNSClient(AWS_CLIENT_OPTIONS).send(
        new PublishCommand({
          TopicArn: environment.findingsTopicArn,
          Subject: `Password change for ${outcome.secret}: ${outcome.outcome.replace('-', ' ')}`.slice(0, 99),
          Message: notice,
          MessageAttributes: {
            owner: { DataType: 'String', StringValue: outcome.owner },
            severity: { DataType: 'String', StringValue: NOTICE_SEVERITY },
            checks: { DataType: 'String.Array', StringValue: JSON.stringify(['rotation']) },
            run: { DataType: 'String', StringValue: 'password-change' },
          },
        }),
      );
    }
    logger.info('password change step', { step, outcome: outcome.outcome, secret: outcome.secret, notified });
    return {
      step,
      outcome: outcome.outcome,
      secret: outcome.secret,
      platform: outcome.platform,
      ...(outcome.owner !== undefined && { owner: outcome.owner }),
      notice,
      notified,
    };
  } catch (error) {
    logger.error('password change step failed', { step, error: safeMessageOf(error) ?? (error as Error).name });
    throw withSourceMappedStack(error);
  }
}
