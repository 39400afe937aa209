import { Logger } from '@aws-lambda-powertools/logger';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { AWS_CLIENT_OPTIONS } from '../adapters/aws-client-options';
import { DynamoDbSecretReads } from '../adapters/cloudtrail/dynamodb-secret-reads';
import { type BackfillOutcome, backfillReads, LOOKUP_EVENTS_DAYS } from '../adapters/cloudtrail/lookup-events-backfill';
import { recordRecords } from '../adapters/cloudtrail/read-recorder';
import { safeMessageOf } from '../core/safe-to-show-error';
import { ENVIRONMENT_NAMES } from '../shared/environment';
import { MONITOR_PRINCIPALS } from '../shared/monitor-principals';

/** What the stack sets (see lib/constructs/read-recorder.ts). */
const environmentSchema = z.object({
  [ENVIRONMENT_NAMES.stateTableName]: z.string().min(1),
  [ENVIRONMENT_NAMES.tagKey]: z.string().min(1),
  [ENVIRONMENT_NAMES.readRetentionDays]: z.coerce.number().int().min(1).max(3650),
});

/** What it may be asked: how many days back (at most 90), and where a run that stopped left off. */
const eventSchema = z
  .object({
    days: z.number().int().min(1).max(LOOKUP_EVENTS_DAYS).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .passthrough();

/** The time kept back for the last page to be recorded: a page and its writes take seconds, not this. */
const RESERVE_MS = 60_000;

const logger = new Logger({ serviceName: 'read-backfill' });

/**
 * Fills the recorded reads from CloudTrail's event history: invoked once when the stack is first deployed, and by
 * hand (`{"days": 90}`; `{"until": "…"}` goes on from where a run that ran out of time stopped, which it says).
 */
export async function handler(
  event: unknown,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<BackfillOutcome> {
  const parsedEnv = environmentSchema.safeParse(process.env);
  if (!parsedEnv.success) throw new Error('read backfill: its environment is not what the stack sets');
  const parsed = eventSchema.safeParse(event ?? {});
  if (!parsed.success)
    throw new Error('read backfill: the event may give days (1 to 90) and until (an ISO time), nothing else');
  const env = parsedEnv.data;
  const record = recordRecords({
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
  try {
    const outcome = await backfillReads({
      cloudTrail: new CloudTrailClient(AWS_CLIENT_OPTIONS),
      record,
      now: new Date(),
      ...(parsed.data.days !== undefined && { days: parsed.data.days }),
      ...(parsed.data.until !== undefined && { until: new Date(parsed.data.until) }),
      ...(context !== undefined && { hasTime: () => context.getRemainingTimeInMillis() > RESERVE_MS }),
    });
    logger.info(
      outcome.stoppedAt === undefined ? 'reads backfilled' : 'reads backfilled in part: invoke again with until',
      {
        ...outcome,
      },
    );
    return outcome;
  } catch (error) {
    logger.error('reads not backfilled', { error: safeMessageOf(error) ?? (error as Error).name });
    throw error;
  }
}
