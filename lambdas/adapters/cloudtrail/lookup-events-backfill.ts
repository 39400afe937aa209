import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';

/** How far back CloudTrail's event history goes: LookupEvents answers for the last 90 days of management events. */
export const LOOKUP_EVENTS_DAYS = 90;

/** LookupEvents' rate in an account and region: two requests a second. */
const REQUESTS_PER_SECOND = 2;

/** The events LookupEvents gives a page at most. */
const PAGE_SIZE = 50;

/**
 * What is looked up: Secrets Manager's events. LookupEvents takes one attribute, and the reads are two event names;
 * one pass over the service's events, newest first, leaves one point to go on from when it stops.
 */
const LOOKUP_ATTRIBUTE = { AttributeKey: 'EventSource', AttributeValue: 'secretsmanager.amazonaws.com' } as const;

const DAY_MS = 86_400_000;

export interface BackfillOptions {
  readonly cloudTrail: Pick<CloudTrailClient, 'send'>;
  /** Records a page of CloudTrail records (see read-recorder's `recordRecords`); returns how many reads it kept. */
  readonly record: (
    records: readonly { readonly record: unknown; readonly eventId: string }[],
    where: (index: number) => string,
  ) => Promise<number>;
  readonly now: Date;
  /** How many days back, at most 90. */
  readonly days?: number;
  /** Where a run that stopped left off: the backfill goes on from there, back to `days` before `now`. */
  readonly until?: Date;
  /** Whether there is time for another request (a function's remaining time); when not, it stops and says where. */
  readonly hasTime?: () => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock the rate is kept by (milliseconds). */
  readonly clock?: () => number;
}

export interface BackfillOutcome {
  readonly pages: number;
  readonly events: number;
  readonly recorded: number;
  /** Set when it stopped for time: invoke it again with this as `until` to go on. */
  readonly stoppedAt?: string;
}

/**
 * Fills the recorded reads from CloudTrail's event history (LookupEvents: the last 90 days of management events,
 * with or without a trail), for when the recorder was not yet listening: at first deployment, and when asked. Pages
 * through Secrets Manager's events, newest first, at LookupEvents' two requests a second; a page's events are
 * recorded as the recorder records them, so an event it also saw is kept once. Stops when time runs short, saying
 * where, so that the next invocation goes on from there.
 */
export async function backfillReads(options: BackfillOptions): Promise<BackfillOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? Date.now;
  const days = Math.min(options.days ?? LOOKUP_EVENTS_DAYS, LOOKUP_EVENTS_DAYS);
  const start = new Date(options.now.getTime() - days * DAY_MS);
  const end = options.until ?? options.now;
  let pages = 0;
  let events = 0;
  let recorded = 0;
  let oldest = end;
  let lastRequest = Number.NEGATIVE_INFINITY;
  let nextToken: string | undefined;
  do {
    if (options.hasTime !== undefined && !options.hasTime()) {
      return { pages, events, recorded, stoppedAt: oldest.toISOString() };
    }
    const wait = lastRequest + 1000 / REQUESTS_PER_SECOND - clock();
    if (wait > 0) await sleep(wait);
    lastRequest = clock();
    const page = await options.cloudTrail.send(
      new LookupEventsCommand({
        LookupAttributes: [LOOKUP_ATTRIBUTE],
        StartTime: start,
        EndTime: end,
        MaxResults: PAGE_SIZE,
        ...(nextToken !== undefined && { NextToken: nextToken }),
      }),
    );
    pages += 1;
    const records = (page.Events ?? []).flatMap((event) => {
      if (event.CloudTrailEvent === undefined || event.EventId === undefined) return [];
      if (event.EventTime !== undefined && event.EventTime < oldest) oldest = event.EventTime;
      try {
        return [{ record: JSON.parse(event.CloudTrailEvent) as unknown, eventId: event.EventId }];
      } catch {
        throw new Error(`LookupEvents gave an event whose CloudTrailEvent is not JSON (page ${pages})`);
      }
    });
    events += records.length;
    recorded += await options.record(records, (index) => `LookupEvents page ${pages}, event ${index}`);
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return { pages, events, recorded };
}
