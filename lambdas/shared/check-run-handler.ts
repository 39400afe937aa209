import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SecretsManagerInventory } from '../adapters/secrets-manager-inventory';
import { SnsFindingsPublisher } from '../adapters/sns-findings-publisher';
import type { Check } from '../core/check';
import type { BreachRangeSource, PasswordStrengthEstimator } from '../core/evidence-sources';
import { type CheckRunDependencies, type CheckRunResponse, runChecks } from './check-run';
import { type FunctionEnvironment, readEnvironment } from './environment';
import { PowertoolsRunMetrics } from './powertools-run-metrics';

export interface CheckFamilySpec {
  readonly family: string;
  readonly checks: readonly Check[];
  /** Whether the function reads secret values; the password-age function does not. */
  readonly readsValues: boolean;
  readonly evidence?: (env: FunctionEnvironment) => {
    readonly breachSource?: BreachRangeSource;
    readonly strengthEstimator?: PasswordStrengthEstimator;
  };
}

/** Errors whose messages this project writes, safe to log; any other error is logged by name only. */
const OWN_ERRORS = new Set([
  'InvalidInvocationError',
  'EnvironmentError',
  'FindingsPublishError',
  'BreachSourceConfigError',
  'PolicyError',
]);

/**
 * A Lambda handler for one check family. Clients are built on the first invocation (not at import) and reused by
 * the warm container; the environment is validated then, and a misconfiguration fails the invoke with its name.
 */
export function checkRunHandler(spec: CheckFamilySpec): (event: unknown) => Promise<CheckRunResponse> {
  const logger = new Logger({ serviceName: spec.family });
  let dependencies: CheckRunDependencies | undefined;
  return async (event) => {
    try {
      dependencies ??= wire(spec, readEnvironment(process.env), logger);
      return await runChecks(dependencies, event);
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error;
      logger.error('check run failed', {
        errorName: name,
        ...(OWN_ERRORS.has(name) && { errorMessage: (error as Error).message }),
      });
      throw error;
    }
  };
}

function wire(spec: CheckFamilySpec, env: FunctionEnvironment, logger: Logger): CheckRunDependencies {
  const inventory = new SecretsManagerInventory({
    client: new SecretsManagerClient({ maxAttempts: 5 }),
    tagKey: env.tagKey,
    readValues: spec.readsValues,
    onSecretError: (secret, reason) => logger.warn('secret could not be read', { secret, reason }),
  });
  const publisher = new SnsFindingsPublisher({
    client: new SNSClient({ maxAttempts: 5 }),
    topicArn: env.findingsTopicArn,
  });
  return {
    family: spec.family,
    checks: spec.checks,
    inventory,
    publisher,
    policy: env.policy,
    ...spec.evidence?.(env),
    clock: () => new Date(),
    fingerprintKey: () => randomBytes(32),
    log: {
      info: (message, extra = {}) => logger.info(message, extra),
      warn: (message, extra = {}) => logger.warn(message, extra),
    },
    metrics: PowertoolsRunMetrics.forFamily(spec.family),
  };
}
