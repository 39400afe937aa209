import { z } from 'zod';
import type { IdentityBreach } from '../core/check';
import { type IdentityBreachSource, IdentityLookupError } from '../core/evidence-sources';

export { IdentityLookupError };

import { RequestRateLimiter } from './request-rate-limiter';
import { sleep } from './sleep';

export const HIBP_API_URL = 'https://haveibeenpwned.com';

export interface HibpBreachedAccountClientOptions {
  /** The subscription's key, sent as `hibp-api-key`; never logged. */
  readonly apiKey: string;
  /** The subscription's rate limit; requests never start faster than this. */
  readonly requestsPerMinute: number;
  readonly baseUrl?: string;
  readonly userAgent?: string;
  /** Per attempt. Default 10 s. */
  readonly timeoutMs?: number;
  /** Default 4. */
  readonly maxAttempts?: number;
  /** The longest `Retry-After` honoured. Default 60 s. */
  readonly maxRetryAfterMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly clock?: () => number;
}

const breachSchema = z.array(
  z.looseObject({
    Name: z.string(),
    AddedDate: z.iso.datetime({ offset: true }),
    DataClasses: z.array(z.string()),
    IsFabricated: z.boolean().default(false),
    IsSpamList: z.boolean().default(false),
    IsRetired: z.boolean().default(false),
  }),
);

/**
 * Have I Been Pwned's `breachedaccount` API (`GET /api/v3/breachedaccount/{account}?truncateResponse=false`): the
 * breaches an email address appears in. 404 means none. Requests keep to the subscription's rate limit, 429 waits for
 * `Retry-After` and 5xx is retried; a refused key (401/403) fails at once. A body that is not the documented list of
 * breaches fails closed, never "not breached".
 */
export class HibpBreachedAccountClient implements IdentityBreachSource {
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly limiter: RequestRateLimiter;

  constructor(options: HibpBreachedAccountClientOptions) {
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? HIBP_API_URL).replace(/\/+$/, '');
    this.userAgent = options.userAgent ?? 'credential-hygiene';
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.sleep = options.sleep ?? sleep;
    this.limiter = new RequestRateLimiter(options.requestsPerMinute, options.clock, this.sleep);
  }

  async breachesFor(identity: string): Promise<IdentityBreach[]> {
    let reason = 'no attempt was made';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      await this.limiter.acquire();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.timeoutMs);
      let wait: number;
      try {
        const response = await fetch(
          `${this.baseUrl}/api/v3/breachedaccount/${encodeURIComponent(identity)}?truncateResponse=false`,
          {
            headers: { 'hibp-api-key': this.apiKey, 'user-agent': this.userAgent },
            signal: controller.signal,
            redirect: 'error',
          },
        );
        if (response.status === 404) return [];
        if (response.status === 200) return parseBreaches(await response.text());
        await response.body?.cancel();
        if (response.status === 401) throw new IdentityLookupError('Have I Been Pwned refused the API key (401)');
        if (response.status === 403) throw new IdentityLookupError('Have I Been Pwned refused the request (403)');
        if (response.status !== 429 && response.status < 500) {
          throw new IdentityLookupError(`Have I Been Pwned answered HTTP ${response.status}`);
        }
        reason = `HTTP ${response.status}`;
        const retryAfter = Number(response.headers.get('retry-after'));
        wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000 * 2 ** (attempt - 1);
      } catch (error) {
        if (error instanceof IdentityLookupError) throw error;
        reason = controller.signal.aborted ? `timed out after ${this.timeoutMs} ms` : 'connection failed';
        wait = 1000 * 2 ** (attempt - 1);
      } finally {
        clearTimeout(timer);
      }
      if (attempt === this.maxAttempts) break;
      if (wait > this.maxRetryAfterMs) {
        throw new IdentityLookupError(
          `Have I Been Pwned asked to wait ${Math.ceil(wait / 1000)} s, longer than this scan waits`,
        );
      }
      await this.sleep(wait);
    }
    throw new IdentityLookupError(`the breached-account lookup failed after ${this.maxAttempts} attempts: ${reason}`);
  }
}

function parseBreaches(body: string): IdentityBreach[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new IdentityLookupError('Have I Been Pwned answered with a body that is not JSON');
  }
  const parsed = breachSchema.safeParse(json);
  if (!parsed.success)
    throw new IdentityLookupError('Have I Been Pwned answered with a body that is not a list of breaches');
  return parsed.data.map((breach) => ({
    name: breach.Name,
    addedDate: new Date(breach.AddedDate),
    dataClasses: breach.DataClasses,
    isFabricated: breach.IsFabricated,
    isSpamList: breach.IsSpamList,
    isRetired: breach.IsRetired,
  }));
}
