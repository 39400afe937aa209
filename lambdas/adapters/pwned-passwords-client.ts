import { BreachLookupError, type BreachRangeSource } from '../core/evidence-sources';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { assertRangePrefix, countsInRange } from './pwned-passwords-range-format';

export const PUBLIC_PWNED_PASSWORDS_URL = 'https://api.pwnedpasswords.com';

export interface PwnedPasswordsClientOptions {
  /** The API's base URL; `/range/{prefix}` is appended. Default: the public API. */
  readonly baseUrl?: string;
  /** Allow plain http to a host other than loopback (a mirror on a trusted network). Default false. */
  readonly allowInsecureHttp?: boolean;
  readonly fetch?: typeof fetch;
  /** Requests in flight at once. Default 16. */
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

type Attempt =
  | { readonly counts: Map<string, number> }
  | { readonly retryable: boolean; readonly reason: string; readonly retryAfterMs?: number };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Client for the Pwned Passwords k-anonymity range API (`GET {base}/range/{5 hex}`), the public one or a self-hosted
 * mirror. Sends `Add-Padding: true` so response sizes say nothing of the prefix, and only ever the 5-hex prefix.
 */
export class PwnedPasswordsClient implements BreachRangeSource {
  private readonly baseUrl: string;
  private readonly limiter: ConcurrencyLimiter;
  private readonly fetch: typeof fetch;
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
    this.limiter = new ConcurrencyLimiter(options.maxConcurrentRequests ?? 16);
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.userAgent = options.userAgent ?? 'credential-hygiene';
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
  }

  async countsFor(prefix: string, suffixes: ReadonlySet<string>): Promise<ReadonlyMap<string, number>> {
    assertRangePrefix(prefix);
    let last: Attempt | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      last = await this.limiter.run(() => this.attempt(prefix, suffixes));
      if ('counts' in last) return last.counts;
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

  private async attempt(prefix: string, suffixes: ReadonlySet<string>): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await this.fetch(`${this.baseUrl}/range/${prefix}`, {
        headers: { 'Add-Padding': 'true', 'User-Agent': this.userAgent },
        signal: controller.signal,
        redirect: 'error',
      });
      if (response.status === 429 || response.status >= 500) {
        await response.body?.cancel();
        const retryAfterMs = this.retryAfterMs(response.headers.get('retry-after'));
        return {
          retryable: true,
          reason: `HTTP ${response.status}`,
          ...(retryAfterMs !== undefined && { retryAfterMs }),
        };
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        return { retryable: false, reason: `HTTP ${response.status}` };
      }
      const body = await readBody(response, this.maxBodyBytes);
      if (body === undefined) return { retryable: false, reason: `response larger than ${this.maxBodyBytes} bytes` };
      return { counts: countsInRange(body, suffixes) };
    } catch (error) {
      if (controller.signal.aborted) return { retryable: true, reason: `timed out after ${this.timeoutMs} ms` };
      if (error instanceof BreachLookupError) return { retryable: true, reason: error.message };
      return { retryable: true, reason: `connection failed (${networkErrorCode(error)})` };
    } finally {
      clearTimeout(timer);
    }
  }

  /** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unreadable. */
  private retryAfterMs(header: string | null): number | undefined {
    if (header === null) return undefined;
    if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - this.clock());
  }
}

function validatedBaseUrl(raw: string, allowInsecureHttp: boolean): string {
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

/** The body as text, or undefined when it is larger than `maxBytes` (reading stops there). */
async function readBody(response: Response, maxBytes: number): Promise<string | undefined> {
  if (!response.body) return '';
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function networkErrorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown';
}
