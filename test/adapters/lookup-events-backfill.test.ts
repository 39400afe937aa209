import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { backfillReads } from '../../lambdas/adapters/cloudtrail/lookup-events-backfill';
import { secretReadsOf } from '../../lambdas/adapters/cloudtrail/secret-read-events';
import { identityCenterRead } from '../support/generated-reads';
import { type HistoryEvent, startLookupEventsStub } from '../support/lookup-events-stub';

const NOW = new Date('2026-11-24T00:00:00Z');
const DAY_MS = 86_400_000;

/** 130 reads over 100 days, and other Secrets Manager events between them. */
const HISTORY: HistoryEvent[] = Array.from({ length: 130 }, (_, index) => ({
  eventId: `event-${index}`,
  record:
    index % 10 === 0
      ? {
          eventSource: 'secretsmanager.amazonaws.com',
          eventName: 'ListSecrets',
          eventTime: new Date(NOW.getTime() - index * 0.75 * DAY_MS).toISOString(),
        }
      : identityCenterRead(`person-${index % 7}`, 'press-office/x', new Date(NOW.getTime() - index * 0.75 * DAY_MS)),
}));

describe('Function: backfillReads (LookupEvents)', () => {
  const client = (url: string) =>
    new CloudTrailClient({
      endpoint: url,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 5,
    });
  const recorder = () => {
    const kept: string[] = [];
    return {
      kept,
      record: async (records: readonly { record: unknown; eventId: string }[]) => {
        for (const { record, eventId } of records) {
          if (secretReadsOf([record], () => eventId).length > 0) kept.push(eventId);
        }
        return records.length;
      },
    };
  };

  it("pages Secrets Manager's events of the last 90 days, newest first, at two requests a second, through throttling", async () => {
    const { server, bodies } = await startLookupEventsStub(HISTORY, { throttleFirst: 1 });
    // A clock only the waits move: each request's time on it shows the rate kept.
    let time = 0;
    const sent: number[] = [];
    const cloudTrail = client(server.url);
    const { kept, record } = recorder();
    try {
      const outcome = await backfillReads({
        cloudTrail: {
          send: (command: never) => {
            sent.push(time);
            return cloudTrail.send(command);
          },
        },
        record,
        now: NOW,
        clock: () => time,
        sleep: async (ms) => {
          time += ms;
        },
      });

      const inWindow = HISTORY.filter(
        (event) => Date.parse(String(event.record.eventTime)) >= NOW.getTime() - 90 * DAY_MS,
      );
      expect(outcome).toEqual({ pages: 3, events: inWindow.length, recorded: inWindow.length });
      expect(kept.sort()).toEqual(
        inWindow
          .filter((event) => event.record.eventName === 'GetSecretValue')
          .map((event) => event.eventId)
          .sort(),
      );
      // The SDK retried the throttled request; the pages after the first waited for the rate.
      expect(bodies).toHaveLength(4);
      expect(bodies[1]).toMatchObject({
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'secretsmanager.amazonaws.com' }],
        MaxResults: 50,
        StartTime: (NOW.getTime() - 90 * DAY_MS) / 1000,
        EndTime: NOW.getTime() / 1000,
      });
      expect(sent).toEqual([0, 500, 1000]);
    } finally {
      await server.stop();
    }
  });

  it('stops when time runs short, saying where, and goes on from there when invoked again', async () => {
    const { server } = await startLookupEventsStub(HISTORY);
    const { kept, record } = recorder();
    let requests = 0;
    try {
      const first = await backfillReads({
        cloudTrail: client(server.url),
        record,
        now: NOW,
        sleep: async () => {},
        hasTime: () => requests++ < 1,
      });
      expect(first.stoppedAt).toBeDefined();
      const second = await backfillReads({
        cloudTrail: client(server.url),
        record,
        now: NOW,
        until: new Date(first.stoppedAt as string),
        sleep: async () => {},
      });

      expect(second.stoppedAt).toBeUndefined();
      const inWindow = HISTORY.filter(
        (event) =>
          event.record.eventName === 'GetSecretValue' &&
          Date.parse(String(event.record.eventTime)) >= NOW.getTime() - 90 * DAY_MS,
      );
      expect(new Set(kept)).toEqual(new Set(inWindow.map((event) => event.eventId)));
    } finally {
      await server.stop();
    }
  });
});
