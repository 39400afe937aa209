import { sleep as realSleep } from '../util/sleep';
import { BodyBoundError, boundedRequest, utf8Text } from './bounded-body';

/** The largest body read from an API: a breach list of a mailbox in hundreds of breaches is well under 1 MB. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface RetryOptions {
  /** Per attempt, from the request's start to the body's last byte. Default 10 s. */
  readonly timeoutMs?: number;
  /** A body larger than this fails the request (not retried). Default 4 MiB. */
  readonly maxBodyBytes?: number;
  /** Default 4. */
  readonly maxAttempts?: number;
  /** The longest `Retry-After` honoured. Default 60 s. */
  readonly maxRetryAfterMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Only the retry options of an adapter's options, which also hold its credentials. */
export function retryOptionsOf({
  timeoutMs,
  maxBodyBytes,
  maxAttempts,
  maxRetryAfterMs,
  sleep,
}: RetryOptions): RetryOptions {
  return { timeoutMs, maxBodyBytes, maxAttempts, maxRetryAfterMs, sleep };
}

export interface RetryingFetchRequest extends RetryOptions {
  readonly url: string;
  readonly init?: RequestInit;
  /** The service, for messages: "Have I Been Pwned". */
  readonly service: string;
  /** Makes the error thrown when the service did not answer; its message is the reason, shown to owners. */
  readonly fail: (reason: string) => Error;
  /** Awaited before every attempt: a rate limiter's turn. */
  readonly beforeAttempt?: () => Promise<void>;
}

export interface FetchedAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * One HTTP request, retried where retrying helps: 429 waits for `Retry-After` (seconds or an HTTP date), and 5xx,
 * timeouts and refused connections back off 1, 2, 4 s. Any other answer is returned for the caller to read. Each
 * attempt is bounded: its body is read whole within `maxBodyBytes`, headers to last byte within `timeoutMs`, and a body
 * that is not UTF-8 is refused. A redirect is not followed and not retried: it is reported as what it is. Messages name
 * the status or failure, never the URL (it may hold a user) or a header (a credential).
 */
export async function retryingFetch(request: RetryingFetchRequest): Promise<FetchedAnswer> {
  const timeoutMs = request.timeoutMs ?? 10_000;
  const maxBodyBytes = request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxAttempts = request.maxAttempts ?? 4;
  const maxRetryAfterMs = request.maxRetryAfterMs ?? 60_000;
  const sleep = request.sleep ?? realSleep;
  let reason = 'no attempt was made';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    await request.beforeAttempt?.();
    const backoff = 1000 * 2 ** (attempt - 1);
    let wait = backoff;
    try {
      // Only an answer the caller reads has its body read: a redirect, a 429 and a 5xx are judged by their status.
      const readable = (status: number) => status < 300 || (status >= 400 && status !== 429 && status < 500);
      const { response, body } = await boundedRequest(request.url, request.init, { timeoutMs, maxBodyBytes }, readable);
      if (response.status >= 300 && response.status < 400) {
        throw new Final(
          `${request.service} answered with a redirect (HTTP ${response.status}), which is not followed: check the service URL`,
        );
      }
      if (body !== undefined) {
        const text = utf8Text(body);
        if (text === undefined) throw new Final(`${request.service} answered with a body that is not UTF-8`);
        return { status: response.status, headers: response.headers, text };
      }
      reason = `HTTP ${response.status}`;
      if (response.status === 429) wait = retryAfterMs(response.headers.get('retry-after')) ?? backoff;
    } catch (error) {
      if (error instanceof Final) throw request.fail(error.message);
      if (error instanceof BodyBoundError && error.bound === 'size') {
        throw request.fail(`${request.service} answered with a body larger than ${maxBodyBytes} bytes`);
      }
      reason = error instanceof BodyBoundError ? `timed out after ${timeoutMs} ms` : 'connection failed';
    }
    if (attempt === maxAttempts) break;
    if (wait > maxRetryAfterMs) {
      throw request.fail(`${request.service} asked to wait ${Math.ceil(wait / 1000)} s, longer than this scan waits`);
    }
    await sleep(wait);
  }
  throw request.fail(`${request.service} did not answer after ${maxAttempts} attempts: ${reason}`);
}

/** An answer that retrying would not change: it ends the request at once, with this reason. */
class Final extends Error {}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds > 0 ? seconds * 1000 : undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(at - Date.now(), 0);
}
