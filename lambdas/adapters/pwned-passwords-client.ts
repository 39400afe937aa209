import { Pool } from 'undici';
import { BreachLookupError, type BreachRangeSource, type RangeAnswer } from '../core/evidence-sources';
import { SafeToShowError } from '../core/safe-to-show-error';
import { ConcurrencyLimiter } from '../util/concurrency';
import { sleep } from '../util/sleep';
import { isLoopbackHost } from './loopback';
import { assertRangePrefix, countsInRange } from './pwned-passwords-range-format';

export const PUBLIC_PWNED_PASSWORDS_URL = 'https://api.pwnedpasswords.com';

/**
 * Range requests in flight at once. The public API is served from a CDN with no rate limit on ranges; 50 keeps a
 * 10,000-account scan's lookups (about 25 ms each) well under the CPU the same scan spends scoring passwords.
 */
export const DEFAULT_CONCURRENT_REQUESTS = 50;

export interface PwnedPasswordsClientOptions {
  /** The API's base URL; `/range/{prefix}` is appended. Default: the public API. */
  readonly baseUrl?: string;
  /** Allow plain http to a host other than loopback (a mirror on a trusted network). Default false. */
  readonly allowInsecureHttp?: boolean;
  /** Requests in flight at once. Default 50. */
  readonly maxConcurrentRequests?: number;
  /**
   * Per attempt, from the request's start to the body's last byte (and so for the connection, the headers and each
   * wait between parts of the body). Default 10 s.
   */
  readonly timeoutMs?: number;
  /** Attempts per prefix, first included. Default 4. */
  readonly maxAttempts?: number;
  /** First backoff before a retry; doubles each time, with jitter. Default 500 ms. */
  readonly baseBackoffMs?: number;
  /** The longest `Retry-After` honoured; a longer one ends the lookup as failed. Default 60 s. */
  readonly maxRetryAfterMs?: number;
  /** A body larger than this is refused. Default 1 MiB (real ranges are about 40 KB with padding). */
  readonly maxBodyBytes?: number;
  readonly userAgent?: string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly clock?: () => number;
}

/** A configuration the client refuses to start with. */
export class BreachSourceConfigError extends SafeToShowError {
  override readonly name = 'BreachSourceConfigError';
}

interface RangeResponse {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: Buffer;
  readonly etag?: string;
  /** The body had neither a length nor chunked framing: it ended when the connection closed, whole or not. */
  readonly unframed: boolean;
}

/** The attempt's deadline passed before its body's last byte. */
class AttemptDeadlineError extends Error {
  override readonly name = 'AttemptDeadlineError';
  readonly code = 'ATTEMPT_DEADLINE';
}

type Attempt = RangeAnswer | { readonly retryable: boolean; readonly reason: string; readonly retryAfterMs?: number };

const EMPTY = Buffer.alloc(0);

/**
 * Client for the Pwned Passwords k-anonymity range API (`GET {base}/range/{5 hex}`), the public one or a self-hosted
 * mirror. Sends `Add-Padding: true` so response sizes say nothing of the prefix, and only ever the 5-hex prefix.
 */
export class PwnedPasswordsClient implements BreachRangeSource {
  readonly concurrency: number;
  private readonly rangePath: string;
  private readonly limiter: ConcurrencyLimiter;
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxBodyBytes: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly clock: () => number;

  constructor(options: PwnedPasswordsClientOptions = {}) {
    const baseUrl = new URL(
      validatedBaseUrl(options.baseUrl ?? PUBLIC_PWNED_PASSWORDS_URL, options.allowInsecureHttp ?? false),
    );
    const concurrency = options.maxConcurrentRequests ?? DEFAULT_CONCURRENT_REQUESTS;
    this.concurrency = concurrency;
    this.limiter = new ConcurrencyLimiter(concurrency);
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    // undici, not node:http: a revalidation (304) costs about half the CPU, and a scan makes one per distinct prefix.
    // One kept-alive connection per request in flight, to one host.
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.pool = new Pool(baseUrl.origin, {
      connections: concurrency,
      maxResponseSize: this.maxBodyBytes,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      connect: { timeout: this.timeoutMs },
    });
    this.rangePath = `${baseUrl.pathname.replace(/\/+$/, '')}/range/`;
    this.headers = { 'add-padding': 'true', 'user-agent': options.userAgent ?? 'credential-hygiene' };
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
  }

  async countsFor(prefix: string, suffixes: ReadonlySet<string>): Promise<ReadonlyMap<string, number>> {
    const answer = await this.countsSince(prefix, suffixes, undefined);
    if ('unchanged' in answer) throw new BreachLookupError('the breach API answered 304 to an unconditional request');
    return answer.counts;
  }

  /**
   * A lookup that sends `If-None-Match` with the range's remembered ETag: the API's `304 Not Modified` answers
   * `unchanged` without a body to read, and a `200` is read in full as always, with its new ETag.
   */
  async countsSince(prefix: string, suffixes: ReadonlySet<string>, etag: string | undefined): Promise<RangeAnswer> {
    assertRangePrefix(prefix);
    let last: Attempt | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      last = await this.limiter.run(() => this.attempt(prefix, suffixes, etag));
      if (!('retryable' in last)) return last;
      if (!last.retryable || attempt === this.maxAttempts) break;
      const backoff = this.baseBackoffMs * 2 ** (attempt - 1) * (0.5 + this.random() / 2);
      if (last.retryAfterMs !== undefined && last.retryAfterMs > this.maxRetryAfterMs) {
        throw new BreachLookupError(
          `the breach API asked to wait ${Math.ceil(last.retryAfterMs / 1000)} s, longer than the ${this.maxRetryAfterMs / 1000} s this scan waits`,
        );
      }
      await this.sleep(Math.max(backoff, last.retryAfterMs ?? 0));
    }
    const reason = last && 'reason' in last ? last.reason : 'no attempt was made';
    const attempts =
      last && 'retryable' in last && !last.retryable
        ? ''
        : ` after ${this.maxAttempts} attempt${this.maxAttempts === 1 ? '' : 's'}`;
    throw new BreachLookupError(`the breach range lookup failed${attempts}: ${reason}`);
  }

  private async attempt(prefix: string, suffixes: ReadonlySet<string>, etag: string | undefined): Promise<Attempt> {
    let response: RangeResponse;
    try {
      response = await this.get(`${this.rangePath}${prefix}`, etag);
    } catch (error) {
      const code = networkErrorCode(error);
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ATTEMPT_DEADLINE') {
        return { retryable: true, reason: `timed out after ${this.timeoutMs} ms` };
      }
      if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
        return { retryable: false, reason: `response larger than ${this.maxBodyBytes} bytes` };
      }
      return { retryable: true, reason: `connection failed (${code})` };
    }
    if (response.status === 429 || response.status >= 500) {
      const retryAfterMs = this.retryAfterMs(response.retryAfter);
      return {
        retryable: true,
        reason: `HTTP ${response.status}`,
        ...(retryAfterMs !== undefined && { retryAfterMs }),
      };
    }
    if (response.status === 304 && etag !== undefined) return { unchanged: true };
    if ([301, 302, 303, 307, 308].includes(response.status)) {
      return {
        retryable: false,
        reason: `the breach API answered with a redirect (HTTP ${response.status}), which is not followed: check the URL`,
      };
    }
    if (response.status !== 200) return { retryable: false, reason: `HTTP ${response.status}` };
    if (response.unframed) {
      return {
        retryable: true,
        reason:
          'the response had no Content-Length and was not chunked, so a body cut short could not be told from a whole one',
      };
    }
    try {
      return { counts: countsInRange(response.body, suffixes), ...(response.etag && { etag: response.etag }) };
    } catch (error) {
      if (error instanceof BreachLookupError) return { retryable: true, reason: error.message };
      throw error;
    }
  }

  /**
   * One GET, whole: the status, `Retry-After`, the ETag and the body, within the size limit. Through undici's
   * dispatcher rather than its stream API: a scan makes thousands of these, and each stream is garbage to collect.
   * undici fails a body the connection cut short, so a truncated body is never parsed, and it follows no redirect.
   */
  private get(path: string, etag: string | undefined): Promise<RangeResponse> {
    const timeoutMs = this.timeoutMs;
    return new Promise((resolve, reject) => {
      let status = 0;
      let retryAfter: string | null = null;
      let etagHeader: string | undefined;
      let unframed = false;
      let timer: NodeJS.Timeout | undefined;
      const chunks: Buffer[] = [];
      this.pool.dispatch(
        {
          method: 'GET',
          path,
          headers: etag === undefined ? this.headers : { ...this.headers, 'if-none-match': etag },
        },
        {
          onRequestStart(controller) {
            // undici's own timeouts are idle times (a body at one byte a second never trips them): this one is total.
            timer = setTimeout(() => controller.abort(new AttemptDeadlineError()), timeoutMs);
          },
          onResponseStart(_controller, statusCode, headers) {
            status = statusCode;
            if (typeof headers['retry-after'] === 'string') retryAfter = headers['retry-after'];
            if (typeof headers.etag === 'string') etagHeader = headers.etag;
            unframed =
              headers['content-length'] === undefined && !/chunked/i.test(String(headers['transfer-encoding'] ?? ''));
          },
          onResponseData(_controller, chunk) {
            if (status === 200) chunks.push(chunk);
          },
          onResponseEnd() {
            clearTimeout(timer);
            // A range usually arrives in one chunk; copying it would be one more allocation per range to collect.
            const body = status !== 200 ? EMPTY : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
            resolve({ status, retryAfter, body, unframed, ...(etagHeader !== undefined && { etag: etagHeader }) });
          },
          onResponseError(_controller, error) {
            clearTimeout(timer);
            reject(error);
          },
        },
      );
    });
  }

  /** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unreadable. */
  private retryAfterMs(header: string | null): number | undefined {
    if (header === null) return undefined;
    if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - this.clock());
  }
}

/**
 * A service's base URL, checked: https, or plain http on loopback (a local mirror or test server) or where the caller
 * allows it. `what` names the URL in messages, `insecureHint` says how to allow plain http where that is possible.
 */
export function validatedBaseUrl(
  raw: string,
  allowInsecureHttp: boolean,
  what = 'breach source URL',
  insecureHint: string | null = 'pass --allow-insecure-breach-url to use a plain-http mirror on a trusted network',
): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BreachSourceConfigError(`${what} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BreachSourceConfigError(`${what} must be https:// (got ${url.protocol})`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    throw new BreachSourceConfigError(
      `${what} must be https:// unless it is on loopback (got http://${url.host})${insecureHint ? `; ${insecureHint}` : ''}`,
    );
  }
  if (url.username || url.password) throw new BreachSourceConfigError(`${what} must not carry credentials`);
  return url.href.replace(/\/+$/, '');
}

function networkErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown';
}
