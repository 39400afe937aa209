import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AWS_CLIENT_OPTIONS } from '../adapters/aws-client-options';
import { DynamoDbSecretReads } from '../adapters/cloudtrail/dynamodb-secret-reads';
import { type ReadRecorderDependencies, recordRecords } from '../adapters/cloudtrail/read-recorder';
import * as z from '../core/zod';
import { ENVIRONMENT_NAMES } from './environment';
import { MONITOR_PRINCIPALS } from './monitor-principals';

/** What the stack sets for the functions that record reads (see lib/constructs/read-recorder.ts). */
const environmentSchema = z.object({
  [ENVIRONMENT_NAMES.stateTableName]: z.string().check(z.minLength(1)),
  [ENVIRONMENT_NAMES.tagKey]: z.string().check(z.minLength(1)),
  [ENVIRONMENT_NAMES.readRetentionDays]: z.coerce.number().check(z.int(), z.gte(1), z.lte(3650)),
});

/**
 * What the read recorder and the backfill record with, from their environment: the monitored secrets (asked of Secrets
 * Manager by the monitoring tag) and the reads' partitions of the lifecycle table. `family` names the function in the
 * error a misconfigured environment gives.
 */
export function readRecordingFromEnvironment(family: string): ReadRecorderDependencies & {
  readonly record: ReturnType<typeof recordRecords>;
} {
  const parsed = environmentSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`${family}: its environment is not what the stack sets`);
  const env = parsed.data;
  const dependencies: ReadRecorderDependencies = {
    secretsManager: new SecretsManagerClient(AWS_CLIENT_OPTIONS),
    tagKey: env[ENVIRONMENT_NAMES.tagKey],
    monitorPrincipals: MONITOR_PRINCIPALS,
    store: new DynamoDbSecretReads({
      client: DynamoDBDocumentClient.from(new DynamoDBClient(AWS_CLIENT_OPTIONS)),
      tableName: env[ENVIRONMENT_NAMES.stateTableName],
      retentionDays: env[ENVIRONMENT_NAMES.readRetentionDays],
      monitorPrincipals: MONITOR_PRINCIPALS,
    }),
  };
  return { ...dependencies, record: recordRecords(dependencies) };
}
