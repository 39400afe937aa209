import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  MicrosoftGraphMfaProvider,
  parseMicrosoftEntraCredentials,
} from '../../../lambdas/adapters/mfa-providers/microsoft-entra/client';
import { MfaLookupError } from '../../../lambdas/core/evidence-sources';
import { bodyOf, LocalHttpServer, respondJson } from '../../support/local-http-server';

const CREDENTIALS = { tenantId: 'contoso.example', clientId: 'app-1234', clientSecret: 'client-secret-0123456789' };
const TOKEN = 'graph-token-abcdefghijklmnop';
const USER_ID = '86462606-fde0-4fc4-9e0c-a20eb73e54c6';
const ALEX = {
  id: USER_ID,
  userPrincipalName: 'press@contoso.example',
  isAdmin: false,
  isMfaRegistered: true,
  isMfaCapable: true,
  methodsRegistered: ['microsoftAuthenticatorPush', 'softwareOneTimePasscode'],
  userType: 'member',
};

type Route = (request: IncomingMessage, response: ServerResponse) => void;
const json = respondJson;
const tokenOk: Route = (_request, response) =>
  json(response, 200, { token_type: 'Bearer', expires_in: 3599, access_token: TOKEN });

describe('Class: MicrosoftGraphMfaProvider', () => {
  let server: LocalHttpServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  const start = async (graph: Route, token: Route = tokenOk) => {
    server = await LocalHttpServer.start((request, response) =>
      request.url?.includes('/oauth2/v2.0/token') ? token(request, response) : graph(request, response),
    );
    return server;
  };
  const provider = (extra: Partial<ConstructorParameters<typeof MicrosoftGraphMfaProvider>[0]> = {}) =>
    new MicrosoftGraphMfaProvider({
      credentials: async () => CREDENTIALS,
      graphUrl: server?.url,
      loginUrl: server?.url,
      sleep: async () => {},
      ...extra,
    });
  const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined).catch((error: unknown) => error);
  const graphRequests = () => server?.requests.filter((request) => !request.url.includes('/oauth2/')) ?? [];

  it("names Graph's methods as factors: phones as sms, passkeys and keys apart, non-factors left out, new ones kept", async () => {
    await start((_request, response) =>
      json(response, 200, {
        ...ALEX,
        methodsRegistered: [
          'mobilePhone',
          'alternateMobilePhone',
          'officePhone',
          'email',
          'fido2',
          'passKeyDeviceBound',
          'temporaryAccessPass',
          'securityQuestion',
          'someMethodGraphAddsLater',
        ],
      }),
    );

    expect((await provider().statusOf(USER_ID)).methods).toEqual([
      'sms',
      'email',
      'security-key',
      'passkey',
      'someMethodGraphAddsLater',
    ]);
  });

  it('gets a client-credentials token, then the registration details of an object id', async () => {
    let tokenForm: URLSearchParams | undefined;
    await start(
      (_request, response) => json(response, 200, ALEX),
      async (request, response) => {
        tokenForm = new URLSearchParams(await bodyOf(request));
        tokenOk(request, response);
      },
    );

    expect(await provider().statusOf(USER_ID)).toEqual({
      enrolled: true,
      methods: ['app-push', 'totp'],
    });
    expect(server?.requests.map((request) => [request.method, request.url])).toEqual([
      ['POST', '/contoso.example/oauth2/v2.0/token'],
      ['GET', `/v1.0/reports/authenticationMethods/userRegistrationDetails/${USER_ID}`],
    ]);
    expect(Object.fromEntries(tokenForm ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'app-1234',
      client_secret: CREDENTIALS.clientSecret,
      scope: `${server?.url}/.default`,
    });
    expect(server?.requests[1]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('looks a sign-in address up by userPrincipalName, quoting it for OData', async () => {
    await start((_request, response) => json(response, 200, { value: [ALEX] }));

    await provider().statusOf("o'brien@contoso.example");

    const url = new URL(graphRequests()[0]?.url ?? '', 'http://local');
    expect(url.pathname).toBe('/v1.0/reports/authenticationMethods/userRegistrationDetails');
    expect(url.searchParams.get('$filter')).toBe("userPrincipalName eq 'o''brien@contoso.example'");
  });

  it.each([
    ['not registered', { isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [] }, { enrolled: false }],
    [
      "registered with methods the tenant's policy does not allow",
      { isMfaCapable: false },
      { enrolled: true, enforced: false },
    ],
  ])('reads a user %s', async (_case, change, expected) => {
    await start((_request, response) => json(response, 200, { ...ALEX, ...change }));

    expect(await provider().statusOf(USER_ID)).toMatchObject(expected);
  });

  it('keeps the token for later lookups, and renews it five minutes before it expires', async () => {
    let now = 0;
    await start((_request, response) => json(response, 200, ALEX));
    const graph = provider({ clock: () => now });

    await Promise.all([graph.statusOf(USER_ID), graph.statusOf(USER_ID), graph.statusOf(USER_ID)]);
    now = (3599 - 301) * 1000;
    await graph.statusOf(USER_ID);
    now = (3599 - 299) * 1000;
    await graph.statusOf(USER_ID);

    expect(server?.requests.filter((request) => request.url.includes('/oauth2/'))).toHaveLength(2);
  });

  it.each([
    ['an object id Graph does not know', USER_ID, (_q: IncomingMessage, r: ServerResponse) => json(r, 404, {})],
    [
      'an address that matches no user',
      'gone@contoso.example',
      (_q: IncomingMessage, r: ServerResponse) => json(r, 200, { value: [] }),
    ],
  ])('fails, never passes, for %s', async (_case, user, route) => {
    await start(route);

    expect(await failureOf(provider().statusOf(user))).toBeInstanceOf(MfaLookupError);
  });

  it('fails at once, and for every later lookup, when the credentials are refused, quoting neither', async () => {
    await start(
      (_request, response) => json(response, 200, ALEX),
      (_request, response) =>
        json(response, 401, {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided: ${CREDENTIALS.clientSecret}`,
        }),
    );
    const graph = provider();

    const first = await failureOf(graph.statusOf(USER_ID));
    const second = await failureOf(graph.statusOf(USER_ID));

    expect(first).toEqual(
      new MfaLookupError('Microsoft Entra ID refused the client credentials (HTTP 401, invalid_client)'),
    );
    expect(second).toEqual(first);
    expect(server?.requests).toHaveLength(1);
    expect(JSON.stringify([(first as Error).message, (first as Error).stack])).not.toContain(CREDENTIALS.clientSecret);
  });

  it('asks again once a refusal is five minutes old, so a warm function sees a fixed setup', async () => {
    let now = 0;
    let refuse = true;
    await start(
      (_request, response) => json(response, 200, ALEX),
      (request, response) => (refuse ? json(response, 401, { error: 'invalid_client' }) : tokenOk(request, response)),
    );
    const graph = provider({ clock: () => now });

    await failureOf(graph.statusOf(USER_ID));
    refuse = false;
    now = 299_000;
    expect(await failureOf(graph.statusOf(USER_ID))).toBeInstanceOf(MfaLookupError);
    now = 300_000;
    expect(await graph.statusOf(USER_ID)).toMatchObject({ enrolled: true });
  });

  it('fails every lookup at once when Graph refuses the permission (403)', async () => {
    await start((_request, response) => json(response, 403, { error: { code: 'Authorization_RequestDenied' } }));
    const graph = provider();

    expect(String(await failureOf(graph.statusOf(USER_ID)))).toContain('AuditLog.Read.All');
    await failureOf(graph.statusOf('other@contoso.example'));

    expect(graphRequests()).toHaveLength(1);
  });

  it('drops a token Graph refuses (401), so the next lookup gets a new one', async () => {
    await start((_request, response) => json(response, graphRequests().length === 1 ? 401 : 200, ALEX));
    const graph = provider();

    expect(await failureOf(graph.statusOf(USER_ID))).toEqual(
      new MfaLookupError('Microsoft Graph refused the access token (401)'),
    );
    await graph.statusOf(USER_ID);

    expect(server?.requests.filter((request) => request.url.includes('/oauth2/'))).toHaveLength(2);
  });

  it('waits for Retry-After on 429 and retries 5xx, then answers', async () => {
    const waits: number[] = [];
    const statuses = [429, 503];
    await start((_request, response) => {
      const status = statuses[graphRequests().length - 1];
      if (status === undefined) return json(response, 200, ALEX);
      json(response, status, { error: { code: 'TooManyRequests' } }, status === 429 ? { 'Retry-After': '7' } : {});
    });

    await provider({ sleep: async (ms) => void waits.push(ms) }).statusOf(USER_ID);

    expect(waits).toEqual([7000, 2000]);
  });

  it('gives up after its attempts on a service that stays down', async () => {
    await start((_request, response) => json(response, 503, {}));

    expect(await failureOf(provider({ maxAttempts: 3 }).statusOf(USER_ID))).toEqual(
      new MfaLookupError('Microsoft Graph did not answer after 3 attempts: HTTP 503'),
    );
  });

  it.each([
    ['not JSON', '<html>proxy error</html>'],
    ['JSON of another shape', '{"id": "x"}'],
  ])('fails closed on a 200 body that is %s', async (_case, body) => {
    await start((_request, response) => void response.writeHead(200).end(body));

    expect(await failureOf(provider().statusOf(USER_ID))).toBeInstanceOf(MfaLookupError);
  });

  it('fails each lookup, without the cause, when the credentials cannot be read', async () => {
    await start((_request, response) => json(response, 200, ALEX));

    const failure = await failureOf(
      provider({
        credentials: async () => {
          throw new Error(`AccessDeniedException: ${CREDENTIALS.clientSecret}`);
        },
      }).statusOf(USER_ID),
    );

    expect(failure).toEqual(new MfaLookupError('the Microsoft Entra ID credentials could not be read'));
    expect(server?.requests).toHaveLength(0);
  });

  it('reads its credentials secret, naming a bad field and never a value', () => {
    expect(parseMicrosoftEntraCredentials(JSON.stringify(CREDENTIALS))).toEqual(CREDENTIALS);
    expect(() => parseMicrosoftEntraCredentials('{"tenantId": "t", "clientId": "c"}')).toThrow(
      'the Microsoft Entra ID credentials: clientSecret: is required',
    );
    expect(() => parseMicrosoftEntraCredentials('client-secret-0123456789')).toThrow(/not JSON$/);
  });
});
