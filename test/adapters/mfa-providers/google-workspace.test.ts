import { createVerify, generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  GOOGLE_DIRECTORY_SCOPE,
  GoogleWorkspaceMfaProvider,
  parseGoogleServiceAccountKey,
} from '../../../lambdas/adapters/mfa-providers/google-workspace/client';
import { MfaLookupError } from '../../../lambdas/core/evidence-sources';
import { bodyOf, LocalHttpServer, respondJson } from '../../support/local-http-server';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY = {
  type: 'service_account',
  project_id: 'press-monitor',
  private_key_id: 'abc123',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  client_email: 'monitor@press-monitor.iam.gserviceaccount.com',
  client_id: '1234567890',
  token_uri: 'https://oauth2.googleapis.com/token',
};
const ADMIN = 'it-admin@northshire.example';
const TOKEN = 'ya29.google-token-abcdefghijklmnop';

type Route = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;
const json = respondJson;
const tokenOk: Route = (_request, response) =>
  json(response, 200, { access_token: TOKEN, expires_in: 3599, token_type: 'Bearer' });

describe('Class: GoogleWorkspaceMfaProvider', () => {
  let server: LocalHttpServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  const start = async (directory: Route, token: Route = tokenOk) => {
    server = await LocalHttpServer.start((request, response) =>
      request.url === '/token' ? token(request, response) : directory(request, response),
    );
    return server;
  };
  const provider = (extra: Partial<ConstructorParameters<typeof GoogleWorkspaceMfaProvider>[0]> = {}) =>
    new GoogleWorkspaceMfaProvider({
      credentials: async () => parseGoogleServiceAccountKey(JSON.stringify(KEY)),
      adminEmail: ADMIN,
      directoryUrl: server?.url,
      tokenUrl: `${server?.url}/token`,
      sleep: async () => {},
      ...extra,
    });
  const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined).catch((error: unknown) => error);
  const directoryRequests = () => server?.requests.filter((request) => request.url !== '/token') ?? [];

  it("signs a token request as the admin it acts for, then reads only the user's 2SV fields", async () => {
    let assertion = '';
    await start(
      (_request, response) => json(response, 200, { isEnrolledIn2Sv: true, isEnforcedIn2Sv: false }),
      async (request, response) => {
        const form = new URLSearchParams(await bodyOf(request));
        expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
        assertion = form.get('assertion') ?? '';
        await tokenOk(request, response);
      },
    );

    expect(await provider().statusOf('press@northshire.example')).toEqual({ enrolled: true, enforced: false });

    const [header, payload, signature] = assertion.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ iss: KEY.client_email, sub: ADMIN, scope: GOOGLE_DIRECTORY_SCOPE });
    expect(
      createVerify('RSA-SHA256')
        .update(`${header}.${payload}`)
        .verify(publicKey, Buffer.from(signature ?? '', 'base64url')),
    ).toBe(true);
    expect(directoryRequests()[0]).toMatchObject({
      method: 'GET',
      url: '/admin/directory/v1/users/press%40northshire.example?fields=isEnrolledIn2Sv,isEnforcedIn2Sv',
      headers: expect.objectContaining({ authorization: `Bearer ${TOKEN}` }),
    });
  });

  it('reads not enrolled, and keeps the token for later lookups', async () => {
    await start((_request, response) => json(response, 200, { isEnrolledIn2Sv: false, isEnforcedIn2Sv: false }));
    const google = provider();

    expect(await google.statusOf('a@northshire.example')).toEqual({ enrolled: false, enforced: false });
    await Promise.all([google.statusOf('b@northshire.example'), google.statusOf('c@northshire.example')]);

    expect(server?.requests.filter((request) => request.url === '/token')).toHaveLength(1);
  });

  it('signs with a rotated key as soon as its reader returns it, without a new provider', async () => {
    const issuers: string[] = [];
    await start(
      (_request, response) => json(response, 200, { isEnrolledIn2Sv: true, isEnforcedIn2Sv: true }),
      async (request, response) => {
        const assertion = new URLSearchParams(await bodyOf(request)).get('assertion') ?? '';
        issuers.push(JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString()).iss);
        await tokenOk(request, response);
      },
    );
    const rotated = { ...KEY, client_email: 'monitor-2@press-monitor.iam.gserviceaccount.com' };
    let current = KEY;
    const google = provider({ credentials: async () => parseGoogleServiceAccountKey(JSON.stringify(current)) });

    await google.statusOf('a@northshire.example');
    await google.statusOf('b@northshire.example');
    current = rotated;
    await google.statusOf('c@northshire.example');

    expect(issuers).toEqual([KEY.client_email, rotated.client_email]);
  });

  it.each([
    [404, { error: { code: 404, message: 'Resource Not Found: userKey' } }, 'Google Workspace has no such user (404)'],
    [
      403,
      { error: { code: 403, message: 'Not Authorized to access this resource/api' } },
      /refused the request \(403\)/,
    ],
    [
      401,
      { error: { code: 401, message: 'Invalid Credentials' } },
      'the Google Admin SDK refused the access token (401)',
    ],
  ])('fails, never passes, on %i', async (status, body, message) => {
    await start((_request, response) => json(response, status, body));

    const failure = await failureOf(provider().statusOf('press@northshire.example'));

    expect(failure).toBeInstanceOf(MfaLookupError);
    expect((failure as Error).message).toMatch(message);
  });

  it('fails every lookup at once when Google refuses the delegation, quoting neither key nor message', async () => {
    await start(
      (_request, response) => json(response, 200, { isEnrolledIn2Sv: true, isEnforcedIn2Sv: true }),
      (_request, response) =>
        json(response, 401, {
          error: 'unauthorized_client',
          error_description: `Client is unauthorized to retrieve access tokens using this method: ${KEY.private_key_id}`,
        }),
    );
    const google = provider();

    const first = await failureOf(google.statusOf('a@northshire.example'));
    const second = await failureOf(google.statusOf('b@northshire.example'));

    expect((first as Error).message).toMatch(
      /^Google refused the service account's token request \(HTTP 401, unauthorized_client\)/,
    );
    expect(second).toBe(first);
    expect(server?.requests).toHaveLength(1);
    expect(`${(first as Error).message}${(first as Error).stack}`).not.toMatch(/abc123|PRIVATE KEY/);
  });

  it("fails a lookup, but not the next, when Google's token service is down", async () => {
    let down = true;
    await start(
      (_request, response) => json(response, 200, { isEnrolledIn2Sv: true, isEnforcedIn2Sv: true }),
      (request, response) => (down ? json(response, 503, {}) : tokenOk(request, response)),
    );
    const google = provider();

    expect(await failureOf(google.statusOf('a@northshire.example'))).toEqual(
      new MfaLookupError("Google's token service answered HTTP 503"),
    );
    down = false;
    expect(await google.statusOf('a@northshire.example')).toEqual({ enrolled: true, enforced: true });
  });

  it('waits for Retry-After on 429 and retries 5xx from the directory', async () => {
    const waits: number[] = [];
    const statuses = [429, 500];
    await start((_request, response) => {
      const status = statuses[directoryRequests().length - 1];
      if (status === undefined) return json(response, 200, { isEnrolledIn2Sv: true, isEnforcedIn2Sv: true });
      json(response, status, { error: { code: status } }, status === 429 ? { 'Retry-After': '3' } : {});
    });

    expect(await provider({ sleep: async (ms) => void waits.push(ms) }).statusOf('a@northshire.example')).toEqual({
      enrolled: true,
      enforced: true,
    });
    expect(waits).toEqual([3000, 2000]);
  });

  it.each([
    ['without the 2SV fields', { primaryEmail: 'a@northshire.example' }],
    ['with a 2SV field that is not a boolean', { isEnrolledIn2Sv: 'yes', isEnforcedIn2Sv: false }],
  ])('fails closed on a user %s', async (_case, body) => {
    await start((_request, response) => json(response, 200, body));

    expect(await failureOf(provider().statusOf('a@northshire.example'))).toBeInstanceOf(MfaLookupError);
  });

  it('fails every lookup without a request when the key cannot sign', async () => {
    await start((_request, response) => json(response, 200, {}));
    const broken = { ...KEY, private_key: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' };

    const failure = await failureOf(provider({ credentials: async () => broken }).statusOf('a@northshire.example'));

    expect(failure).toEqual(new MfaLookupError('the Google service-account key could not sign a token request'));
    expect(server?.requests).toHaveLength(0);
  });

  it('reads a downloaded JSON key, naming a bad field and never a value', () => {
    expect(parseGoogleServiceAccountKey(JSON.stringify(KEY))).toEqual({
      client_email: KEY.client_email,
      private_key: KEY.private_key,
    });
    expect(() => parseGoogleServiceAccountKey(JSON.stringify({ ...KEY, private_key: 'abc123' }))).toThrow(
      'the Google service-account key: private_key: must be a PEM private key',
    );
    expect(() => parseGoogleServiceAccountKey('{')).toThrow('the Google service-account key is not JSON');
  });
});
