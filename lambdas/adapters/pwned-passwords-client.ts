import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { BreachLookupError, type BreachRangeSource, type RangeAnswer } from '../core/evidence-sources';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { assertRangePrefix, countsInRange } from './pwned-passwords-range-format';
import { sleep } from './sleep';

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
  /** Per attempt, including reading the body. Default 10 s. */
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
export class BreachSourceConfigError extends Error {
  override readonly name = 'BreachSourceConfigError';
}

interface RangeResponse {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: Buffer;
  readonly etag?: string;
}

/** An attempt that failed in a known way, with a reason fit to show an owner. */
class AttemptFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

type Attempt = RangeAnswer | { readonly retryable: boolean; readonly reason: string; readonly retryAfterMs?: number };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Client for the Pwned Passwords k-anonymity range API (`GET {base}/range/{5 hex}`), the public one or a self-hosted
 * mirror. Sends `Add-Padding: true` so response sizes say nothing of the prefix, and only ever the 5-hex prefix.
 */
export class PwnedPasswordsClient implements BreachRangeSource {
  private readonly baseUrl: string;
  private readonly limiter: ConcurrencyLimiter;
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxBodyBytes: number;
  private readonly userAgent: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly clock: () => number;

  constructor(options: PwnedPasswordsClientOptions = {}) {
    this.baseUrl = validatedBaseUrl(options.baseUrl ?? PUBLIC_PWNED_PASSWORDS_URL, options.allowInsecureHttp ?? false);
    this.limiter = new ConcurrencyLimiter(options.maxConcurrentRequests ?? DEFAULT_CONCURRENT_REQUESTS);
    const concurrency = options.maxConcurrentRequests ?? DEFAULT_CONCURRENT_REQUESTS;
    const secure = this.baseUrl.startsWith('https:');
    // Keep-alive: a scan makes one request per distinct prefix, thousands of them, to one host.
    this.agent = secure
      ? new HttpsAgent({ keepAlive: true, maxSockets: concurrency })
      : new HttpAgent({ keepAlive: true, maxSockets: concurrency });
    this.request = secure ? httpsRequest : httpRequest;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.userAgent = options.userAgent ?? 'credential-hygiene';
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
    const attempts = last && 'retryable' in last && !last.retryable ? '' : ` after ${this.maxAttempts} attempts`;
    throw new BreachLookupError(`the breach range lookup failed${attempts}: ${reason}`);
  }

  private async attempt(prefix: string, suffixes: ReadonlySet<string>, etag: string | undefined): Promise<Attempt> {
    let response: RangeResponse;
    try {
      response = await this.get(`${this.baseUrl}/range/${prefix}`, etag);
    } catch (error) {
      if (error instanceof AttemptFailure) return { retryable: error.retryable, reason: error.message };
      return { retryable: true, reason: `connection failed (${networkErrorCode(error)})` };
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
    if (response.status !== 200) return { retryable: false, reason: `HTTP ${response.status}` };
    try {
      return { counts: countsInRange(response.body, suffixes), ...(response.etag && { etag: response.etag }) };
    } catch (error) {
      if (error instanceof BreachLookupError) return { retryable: true, reason: error.message };
      throw error;
    }
  }

  /**
   * One GET over node:http(s), whole: the status, `Retry-After` and the body, within the timeout (which covers the
   * body too) and the size limit. A connection that closes before the body is complete fails, so a truncated body is
   * never parsed. Redirects are not followed.
   */
  private get(url: string, etag: string | undefined): Promise<RangeResponse> {
    return new Promise((resolve, reject) => {
      const request = this.request(url, {
        agent: this.agent,
        headers: {
          'Add-Padding': 'true',
          'User-Agent': this.userAgent,
          ...(etag !== undefined && { 'If-None-Match': etag }),
        },
      });
      const timer = setTimeout(
        () => request.destroy(new AttemptFailure(`timed out after ${this.timeoutMs} ms`, true)),
        this.timeoutMs,
      );
      const fail = (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      };
      request.on('error', fail);
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const retryAfter = response.headers['retry-after'] ?? null;
        if (status !== 200) {
          response.resume();
          clearTimeout(timer);
          resolve({ status, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, body: Buffer.alloc(0) });
          return;
        }
        if (Number(response.headers['content-length']) > this.maxBodyBytes) {
          request.destroy(new AttemptFailure(`response larger than ${this.maxBodyBytes} bytes`, false));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxBodyBytes)
            request.destroy(new AttemptFailure(`response larger than ${this.maxBodyBytes} bytes`, false));
          else chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('close', () => {
          if (!response.complete)
            return fail(new AttemptFailure('connection closed before the body was complete', true));
          clearTimeout(timer);
          const etagHeader = response.headers.etag;
          resolve({
            status,
            retryAfter: null,
            body: Buffer.concat(chunks, size),
            ...(typeof etagHeader === 'string' && { etag: etagHeader }),
          });
        });
      });
      request.end();
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

export function validatedBaseUrl(raw: string, allowInsecureHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BreachSourceConfigError('the breach source is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BreachSourceConfigError(`breach source URL must be https:// (got ${url.protocol})`);
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !allowInsecureHttp) {
    throw new BreachSourceConfigError(
      `breach source URL must be https:// unless it is on loopback (got http://${url.host}); allow plain http explicitly to use it`,
    );
  }
  if (url.username || url.password) throw new BreachSourceConfigError('breach source URL must not carry credentials');
  return url.href.replace(/\/+$/, '');
}

function networkErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown';
}
