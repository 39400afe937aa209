import type { IdentityBreach } from '../core/check';
import { type IdentityBreachSource, IdentityLookupError } from '../core/evidence-sources';
import { SafeToShowError } from '../core/safe-to-show-error';
import { holdsPieceOf } from '../core/secret-pieces';
import * as z from '../core/zod';

export { IdentityLookupError };

import { RequestRateLimiter } from '../util/request-rate-limiter';
import { sleep } from '../util/sleep';
import { type RetryOptions, retryingFetch, retryOptionsOf } from './retrying-fetch';

export const HIBP_API_URL = 'https://haveibeenpwned.com';
/** How findings name this source. */
export const HIBP_NAME = 'Have I Been Pwned';

export interface HibpBreachedAccountClientOptions extends RetryOptions {
  /** The subscription's key, sent as `hibp-api-key`; never logged. */
  readonly apiKey: string;
  /** The subscription's rate limit; requests never start faster than this. */
  readonly requestsPerMinute: number;
  readonly baseUrl?: string;
  readonly userAgent?: string;
  readonly clock?: () => number;
}

/**
 * A breach's `Name` as HIBP documents it: a short Pascal-cased identifier ("Adobe", "LinkedInScrape", "Mail.ru"). Its
 * `Title` and `Description` are free text and never read. Anything else in `Name` (text meant for a reader, an echoed
 * key, escape sequences, Markdown) is not copied into a report: the breach is kept, named by this placeholder.
 */
const BREACH_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const UNREADABLE_BREACH_NAME = 'a breach HIBP named in an unexpected form';
/** The data class of a breach that exposed passwords, as HIBP lists them ("Email addresses", "Passwords"...). */
const PASSWORDS = 'Passwords';
/** Breaches one address can be in: the worst-known mailboxes are in a few hundred. */
const MAX_BREACHES = 2_000;

const breachSchema = z
  .array(
    z.looseObject({
      Name: z.string(),
      AddedDate: z.iso.datetime({ offset: true }),
      DataClasses: z.array(z.string()).check(z.maxLength(256)),
      IsFabricated: z._default(z.boolean(), false),
      IsSpamList: z._default(z.boolean(), false),
      IsRetired: z._default(z.boolean(), false),
    }),
  )
  .check(z.maxLength(MAX_BREACHES));

/**
 * Have I Been Pwned's `breachedaccount` API (`GET /api/v3/breachedaccount/{account}?truncateResponse=false`): the
 * breaches an email address appears in. 404 means none. Requests keep to the subscription's rate limit, 429 waits for
 * `Retry-After` and 5xx is retried; a refused key (401/403) fails at once. A body that is not the documented list of
 * breaches fails closed, never "not breached".
 */
export class HibpBreachedAccountClient implements IdentityBreachSource {
  readonly name = HIBP_NAME;
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly userAgent: string;
  private readonly retry: RetryOptions;
  private readonly limiter: RequestRateLimiter;

  constructor(options: HibpBreachedAccountClientOptions) {
    const problem = apiKeyProblem(options.apiKey);
    if (problem !== undefined) throw new HibpApiKeyError(`the HIBP API key ${problem}`);
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? HIBP_API_URL).replace(/\/+$/, '');
    this.userAgent = options.userAgent ?? 'credential-hygiene';
    this.retry = retryOptionsOf(options);
    this.limiter = new RequestRateLimiter(options.requestsPerMinute, options.clock, options.sleep ?? sleep);
  }

  async breachesFor(identity: string): Promise<IdentityBreach[]> {
    const answer = await retryingFetch({
      url: `${this.baseUrl}/api/v3/breachedaccount/${encodeURIComponent(identity)}?truncateResponse=false`,
      init: { headers: { 'hibp-api-key': this.apiKey, 'user-agent': this.userAgent } },
      service: 'Have I Been Pwned',
      fail: (reason) => new IdentityLookupError(reason),
      beforeAttempt: () => this.limiter.acquire(),
      ...this.retry,
    });
    if (answer.status === 404) {
      if (isNotFound(answer.text)) return [];
      // A web server's own 404 page (a wrong --hibp-url path, a proxy) says nothing about the address.
      throw new IdentityLookupError(
        'Have I Been Pwned answered 404 with a body that is not its "not found" (check the URL: a wrong path reaches another server\'s 404 page)',
      );
    }
    if (answer.status === 200) return parseBreaches(answer.text, this.apiKey);
    if (answer.status === 401) throw new IdentityLookupError('Have I Been Pwned refused the API key (401)');
    if (answer.status === 403) throw new IdentityLookupError('Have I Been Pwned refused the request (403)');
    throw new IdentityLookupError(`Have I Been Pwned answered HTTP ${answer.status}`);
  }
}

/** An HIBP API key that cannot be sent as one: the message says what is wrong with it, never what it holds. */
export class HibpApiKeyError extends SafeToShowError {
  override readonly name = 'HibpApiKeyError';
}

/**
 * What is wrong with a key as an HTTP header would carry it, if anything: a line break or a space (pasted with its
 * newline, or two values), another control character, a character outside ASCII, or too short to be a key.
 */
function apiKeyProblem(key: string): string | undefined {
  if (/[\r\n]/.test(key)) return 'holds a line break (was it pasted with a newline?): give the key alone';
  if (/\s/.test(key)) return 'holds a space: give the key alone';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'holds a control character: give the key alone';
  if (/[^\x21-\x7e]/.test(key)) return 'holds a character outside ASCII, which no HIBP key has';
  if (key.length < 16) return 'is too short to be an HIBP API key (they are 32 characters)';
  return undefined;
}

/**
 * HIBP's own "not found" for an address in no breach: a 404 with an empty body, as documented, or a JSON error object
 * carrying `statusCode: 404`. Any other 404 body (an HTML page) is another server's.
 */
function isNotFound(body: string): boolean {
  if (body.trim() === '') return true;
  try {
    const json: unknown = JSON.parse(body);
    return typeof json === 'object' && json !== null && (json as { statusCode?: unknown }).statusCode === 404;
  } catch {
    return false;
  }
}

/**
 * A name HIBP documents: a short identifier, and never one that holds any piece of the key this client sent (a server
 * that cuts the key across two names gets neither into a report).
 */
function nameOf(name: string, apiKey: string): string {
  return BREACH_NAME.test(name) && !holdsPieceOf(name, apiKey) ? name : UNREADABLE_BREACH_NAME;
}

function parseBreaches(body: string, apiKey: string): IdentityBreach[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new IdentityLookupError('Have I Been Pwned answered with a body that is not JSON');
  }
  const parsed = breachSchema.safeParse(json);
  if (!parsed.success)
    throw new IdentityLookupError('Have I Been Pwned answered with a body that is not a list of breaches');
  // Fabricated breaches, spam lists and retired breaches are HIBP's own categories of "not a breach of this
  // address's accounts": they are not passed on, so the core counts every breach it is given.
  return parsed.data
    .filter((breach) => !breach.IsFabricated && !breach.IsSpamList && !breach.IsRetired)
    .map((breach) => ({
      name: nameOf(breach.Name, apiKey),
      addedDate: new Date(breach.AddedDate),
      exposedPasswords: breach.DataClasses.includes(PASSWORDS),
    }));
}
