import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { AWS_CLIENT_OPTIONS } from '../adapters/aws-client-options';
import { DynamoDbSecretReads } from '../adapters/cloudtrail/dynamodb-secret-reads';
import { readRecorder } from '../adapters/cloudtrail/read-recorder';
import { safeMessageOf } from '../core/safe-to-show-error';
import { ENVIRONMENT_NAMES } from '../shared/environment';
import { MONITOR_PRINCIPALS } from '../shared/monitor-principals';

/** What the stack sets (see lib/constructs/read-recorder.ts). */
const environmentSchema = z.object({
  [ENVIRONMENT_NAMES.stateTableName]: z.string().min(1),
  [ENVIRONMENT_NAMES.tagKey]: z.string().min(1),
  [ENVIRONMENT_NAMES.readRetentionDays]: z.coerce.number().int().min(1).max(3650),
});

const logger = new Logger({ serviceName: 'read-recorder' });
let record: ((event: unknown) => Promise<{ recorded: number }>) | undefined;

/**
 * The reads of monitored secrets, as CloudTrail reports them through EventBridge, recorded in the lifecycle table for
 * the knowers check. Logs counts only: never a reader's name, a token or an address.
 */
export async function handler(event: unknown): Promise<{ recorded: number }> {
  if (record === undefined) {
    const parsed = environmentSchema.safeParse(process.env);
    if (!parsed.success) throw new Error('read recorder: its environment is not what the stack sets');
    const env = parsed.data;
    record = readRecorder({
      secretsManager: new SecretsManagerClient(AWS_CLIENT_OPTIONS),
      tagKey: env[ENVIRONMENT_NAMES.tagKey],
      monitorPrincipals: MONITOR_PRINCIPALS,
      store: new DynamoDbSecretReads({
        client: DynamoDBDocumentClient.from(new DynamoDBClient(AWS_CLIENT_OPTIONS)),
        tableName: env[ENVIRONMENT_NAMES.stateTableName],
        retentionDays: env[ENVIRONMENT_NAMES.readRetentionDays],
        monitorPrincipals: MONITOR_PRINCIPALS,
      }),
    });
  }
  try {
    const outcome = await record(event);
    logger.info('reads recorded', outcome);
    return outcome;
  } catch (error) {
    logger.error('reads not recorded', { error: safeMessageOf(error) ?? (error as Error).name });
    throw error;
  }
}
