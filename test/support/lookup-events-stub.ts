import { bodyOf, LocalHttpServer } from './local-http-server';

/** One event of CloudTrail's history, as LookupEvents answers it (its record as JSON text, its time in seconds). */
export interface HistoryEvent {
  readonly record: Record<string, unknown>;
  readonly eventId: string;
}

/**
 * CloudTrail's LookupEvents on 127.0.0.1, as its API reference documents it (JSON 1.1, `X-Amz-Target`
 * `CloudTrail_20131101.LookupEvents`, `EventTime` in epoch seconds, `NextToken` paging), which moto does not serve:
 * the events between `StartTime` and `EndTime` that match the one lookup attribute, newest first, `MaxResults` a page.
 * `throttleFirst` answers that many requests with ThrottlingException first. Every request body is kept.
 */
export async function startLookupEventsStub(
  history: readonly HistoryEvent[],
  options: { readonly throttleFirst?: number } = {},
): Promise<{ server: LocalHttpServer; bodies: Record<string, unknown>[] }> {
  const bodies: Record<string, unknown>[] = [];
  let throttled = 0;
  const server = await LocalHttpServer.start(async (request, response) => {
    const body = JSON.parse(await bodyOf(request)) as {
      LookupAttributes?: { AttributeKey: string; AttributeValue: string }[];
      StartTime?: number;
      EndTime?: number;
      MaxResults?: number;
      NextToken?: string;
    };
    bodies.push(body);
    const reply = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(payload));
    };
    if (!String(request.headers['x-amz-target']).endsWith('CloudTrail_20131101.LookupEvents')) {
      return reply(400, { __type: 'UnknownOperationException', message: 'not served here' });
    }
    if (throttled < (options.throttleFirst ?? 0)) {
      throttled += 1;
      return reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    }
    const [attribute] = body.LookupAttributes ?? [];
    const seconds = (event: HistoryEvent) => Date.parse(String(event.record.eventTime)) / 1000;
    const matching = history
      .filter((event) => {
        const value = attribute?.AttributeKey === 'EventSource' ? event.record.eventSource : event.record.eventName;
        return (
          (attribute === undefined || value === attribute.AttributeValue) &&
          (body.StartTime === undefined || seconds(event) >= body.StartTime) &&
          (body.EndTime === undefined || seconds(event) <= body.EndTime)
        );
      })
      .sort((a, b) => seconds(b) - seconds(a));
    const from = body.NextToken === undefined ? 0 : Number(body.NextToken);
    const size = Math.min(body.MaxResults ?? 50, 50);
    const page = matching.slice(from, from + size);
    reply(200, {
      Events: page.map((event) => ({
        EventId: event.eventId,
        EventName: event.record.eventName,
        EventSource: event.record.eventSource,
        EventTime: seconds(event),
        CloudTrailEvent: JSON.stringify(event.record),
      })),
      ...(from + size < matching.length && { NextToken: String(from + size) }),
    });
  });
  return { server, bodies };
}
