import { Logger } from '@aws-lambda-powertools/logger';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { Context } from 'aws-lambda';
import { AWS_CLIENT_OPTIONS } from '../adapters/aws-client-options';
import { type BackfillOutcome, backfillReads, LOOKUP_EVENTS_DAYS } from '../adapters/cloudtrail/lookup-events-backfill';
import { safeMessageOf } from '../core/safe-to-show-error';
import * as z from '../core/zod';
import { readRecordingFromEnvironment } from '../shared/read-recording';
import { withSourceMappedStack } from '../shared/source-mapped-stack';

/** What it may be asked: how many days back (at most 90), and where a run that stopped left off. */
const eventSchema = z.strictObject({
  days: z.optional(z.number().check(z.int(), z.gte(1), z.lte(LOOKUP_EVENTS_DAYS))),
  until: z.optional(z.iso.datetime({ offset: true })),
});

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
  const { record } = readRecordingFromEnvironment('read backfill');
  const parsed = eventSchema.safeParse(event ?? {});
  if (!parsed.success)
    throw new Error('read backfill: the event may give days (1 to 90) and until (an ISO time), nothing else');
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
    throw withSourceMappedStack(error);
  }
}
