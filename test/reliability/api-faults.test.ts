import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HibpBreachedAccountClient, UNREADABLE_BREACH_NAME } from '../../lambdas/adapters/hibp-breached-account-client';
import {
  GoogleWorkspaceMfaProvider,
  parseGoogleServiceAccountKey,
} from '../../lambdas/adapters/mfa-providers/google-workspace/client';
import { MicrosoftGraphMfaProvider } from '../../lambdas/adapters/mfa-providers/microsoft-entra/client';
import { LocalHttpServer, respondJson } from '../support/local-http-server';

const HIBP_KEY = 'hibp-key-0123456789abcdef';
const TOKEN = 'access-token-abcdefghijklmnop';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const GOOGLE_KEY = JSON.stringify({
  type: 'service_account',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  client_email: 'monitor@press-monitor.iam.gserviceaccount.com',
});
const ENTRA = { tenantId: 'contoso.example', clientId: 'app-1234', clientSecret: 'client-secret-0123456789' };
const TIMEOUT_MS = 300;
const MAX_BODY_BYTES = 64 * 1024;
const BOUNDS = { timeoutMs: TIMEOUT_MS, maxBodyBytes: MAX_BODY_BYTES, maxAttempts: 2, sleep: async () => {} };

type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** Bytes a fault wrote before the client went away: what a client that reads without bounds would have held. */
let written = 0;
function drip(response: ServerResponse, ms: number, next: () => string): void {
  response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  const timer = setInterval(() => {
    const chunk = next();
    written += chunk.length;
    response.write(chunk);
  }, ms);
  response.on('close', () => clearInterval(timer));
}

/** What each API answers when it is well: the fault replaces the answer to the API call (not the token's). */
const FAULTS: Record<string, { route: Route; reason: RegExp; requests?: number }> = {
  'a body trickled a byte at a time, under any idle timeout': {
    route: (_request, response) => {
      const text = `[${' '.repeat(10_000)}`;
      let at = 0;
      drip(response, 25, () => text[at++] ?? ' ');
    },
    reason: /timed out after 300 ms/,
  },
  'an endless body': {
    route: (_request, response) => drip(response, 1, () => '{"Name":"Adobe"},'.repeat(1000)),
    reason: /larger than 65536 bytes/,
    requests: 1,
  },
  'a 3-million-item array': {
    route: (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`[${'1,'.repeat(3_000_000)}1]`);
      written += 6_000_000;
    },
    reason: /larger than 65536 bytes/,
    requests: 1,
  },
  'a redirect': {
    route: (_request, response) => response.writeHead(301, { location: 'http://127.0.0.1:1/elsewhere' }).end(),
    reason: /redirect \(HTTP 301\), which is not followed/,
    requests: 1,
  },
  'a body in Latin-1': {
    route: (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(Buffer.from('[{"Name":"Caf\u00e9"}]', 'latin1'));
    },
    reason: /not UTF-8/,
    requests: 1,
  },
};

/** The three API clients, each against a server that answers its token requests well and its API call with `route`. */
const CLIENTS: Record<string, (url: string) => () => Promise<unknown>> = {
  'Have I Been Pwned': (url) => () =>
    new HibpBreachedAccountClient({ apiKey: HIBP_KEY, requestsPerMinute: 60_000, baseUrl: url, ...BOUNDS }).breachesFor(
      'press@northshire.example',
    ),
  'Microsoft Graph': (url) => () =>
    new MicrosoftGraphMfaProvider({ credentials: async () => ENTRA, graphUrl: url, loginUrl: url, ...BOUNDS }).statusOf(
      'press@contoso.example',
    ),
  'the Google Admin SDK': (url) => () =>
    new GoogleWorkspaceMfaProvider({
      credentials: async () => parseGoogleServiceAccountKey(GOOGLE_KEY),
      adminEmail: 'admin@northshire.example',
      directoryUrl: url,
      tokenUrl: `${url}/token`,
      ...BOUNDS,
    }).statusOf('press@northshire.example'),
};

const isToken = (request: { readonly url?: string }) =>
  request.url === '/token' || Boolean(request.url?.includes('/oauth2/'));

describe('Reliability: misbehaving HIBP, Graph and Google servers', () => {
  let server: LocalHttpServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  const cases = Object.keys(CLIENTS).flatMap((client) => Object.keys(FAULTS).map((fault) => [client, fault]));
  it.each(cases)('%s: %s ends the lookup as failed, within its bounds', async (client, fault) => {
    const { route, reason, requests } = FAULTS[fault] as (typeof FAULTS)[string];
    written = 0;
    server = await LocalHttpServer.start((request, response) =>
      isToken(request)
        ? respondJson(response, 200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 3599 })
        : route(request, response),
    );
    const call = (CLIENTS[client] as (url: string) => () => Promise<unknown>)(server.url);

    const error = await call().then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );

    expect(error?.message).toMatch(reason);
    expect(error?.message).not.toContain(TOKEN);
    const calls = server.requests.filter((request) => !isToken(request)).length;
    if (requests !== undefined) expect(calls).toBe(requests);
    else expect(calls).toBeLessThanOrEqual(BOUNDS.maxAttempts);
    // Memory: a client reading without a bound would have taken all of it; the socket buffers hold a few MB at most.
    expect(written).toBeLessThan(16 * 1024 * 1024 + 6_000_000);
  });

  it('keeps what a hostile HIBP puts in a breach name (the key it was sent, escapes, Markdown, 100,000 characters) out of the answer', async () => {
    const hostileNames = [
      `Leak-${HIBP_KEY}`,
      // The key cut in two, half in each of two names: neither half is the whole key, each holds pieces of it.
      HIBP_KEY.slice(0, 12),
      HIBP_KEY.slice(12).toUpperCase(),
      '\u001b[31mRED\u001b[0m',
      '[click](https://evil.example)',
      'x'.repeat(100_000),
      'Adobe\u202etxt.exe',
    ];
    server = await LocalHttpServer.start((_request, response) =>
      respondJson(
        response,
        200,
        [...hostileNames, 'LinkedInScrape'].map((Name, index) => ({
          Name,
          AddedDate: `2026-0${(index % 9) + 1}-01T00:00:00Z`,
          DataClasses: ['Email addresses', 'Passwords', `\u001b]8;;https://evil.example\u0007`],
        })),
      ),
    );

    const breaches = await new HibpBreachedAccountClient({
      apiKey: HIBP_KEY,
      requestsPerMinute: 60_000,
      baseUrl: server.url,
      ...BOUNDS,
      maxBodyBytes: 1024 * 1024,
    }).breachesFor('press@northshire.example');

    expect(breaches.map((breach) => breach.name)).toEqual([
      ...hostileNames.map(() => UNREADABLE_BREACH_NAME),
      'LinkedInScrape',
    ]);
    // Kept as breaches, with what decides the severity: a name that cannot be shown does not hide the breach.
    expect(breaches.every((breach) => breach.exposedPasswords)).toBe(true);
    expect(JSON.stringify(breaches)).not.toContain(HIBP_KEY);
    const answer = JSON.stringify(breaches).toLowerCase();
    for (let at = 0; at + 8 <= HIBP_KEY.length; at++) expect(answer).not.toContain(HIBP_KEY.slice(at, at + 8));
  });

  it('does not blame the key for a Google token service that answers garbage, and asks it again next time', async () => {
    let tokenRequests = 0;
    server = await LocalHttpServer.start((request, response) => {
      if (request.url === '/token') {
        tokenRequests += 1;
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
        return;
      }
      respondJson(response, 200, { isEnrolledIn2Sv: true, isEnforcedIn2Sv: true });
    });
    const provider = new GoogleWorkspaceMfaProvider({
      credentials: async () => parseGoogleServiceAccountKey(GOOGLE_KEY),
      adminEmail: 'admin@northshire.example',
      directoryUrl: server.url,
      tokenUrl: `${server.url}/token`,
      ...BOUNDS,
    });

    const first = await provider.statusOf('a@northshire.example').catch((error: Error) => error);
    const second = await provider.statusOf('b@northshire.example').catch((error: Error) => error);

    expect((first as Error).message).toMatch(/token service answered HTTP 200 with a body that is not a token/);
    expect((first as Error).message).not.toMatch(/refused|key could not sign/);
    expect((second as Error).message).toMatch(/token service answered HTTP 200/);
    expect(tokenRequests).toBe(2);
  });
});
