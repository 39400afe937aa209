import { HibpBreachedAccountClient, IdentityLookupError } from '../../lambdas/adapters/hibp-breached-account-client';
import { LocalHttpServer } from '../support/local-http-server';

const KEY = 'hibp-key-0123456789abcdef';
const ADOBE = {
  Name: 'Adobe',
  Title: 'Adobe',
  Domain: 'adobe.com',
  BreachDate: '2013-10-04',
  AddedDate: '2013-12-04T00:00:00Z',
  ModifiedDate: '2022-05-15T23:52:49Z',
  PwnCount: 152445165,
  DataClasses: ['Email addresses', 'Password hints', 'Passwords', 'Usernames'],
  IsVerified: true,
  IsFabricated: false,
  IsSensitive: false,
  IsRetired: false,
  IsSpamList: false,
};

describe('Class: HibpBreachedAccountClient', () => {
  let server: LocalHttpServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  const client = (extra: Partial<ConstructorParameters<typeof HibpBreachedAccountClient>[0]> = {}) =>
    new HibpBreachedAccountClient({ apiKey: KEY, requestsPerMinute: 60_000, baseUrl: server?.url, ...extra });

  it('asks for the untruncated breaches of an account, with the key and a user agent', async () => {
    server = await LocalHttpServer.start((_request, response) => void response.end(JSON.stringify([ADOBE])));

    const breaches = await client().breachesFor('press@northshire-police.example');

    expect(breaches).toEqual([
      {
        name: 'Adobe',
        addedDate: new Date('2013-12-04T00:00:00Z'),
        exposedPasswords: true,
      },
    ]);
    expect(server.requests[0]).toMatchObject({
      url: '/api/v3/breachedaccount/press%40northshire-police.example?truncateResponse=false',
      headers: expect.objectContaining({ 'hibp-api-key': KEY, 'user-agent': 'credential-hygiene' }),
    });
  });

  it.each([
    ['a fabricated breach', { IsFabricated: true }],
    ['a spam list', { IsSpamList: true }],
    ['a retired breach', { IsRetired: true }],
  ])('does not pass on %s, which HIBP says is not a breach of the address', async (_case, flag) => {
    const gravatar = { ...ADOBE, Name: 'Gravatar', DataClasses: ['Email addresses'] };
    server = await LocalHttpServer.start(
      (_request, response) => void response.end(JSON.stringify([{ ...ADOBE, ...flag }, gravatar])),
    );

    expect(await client().breachesFor('a@example.org')).toEqual([
      { name: 'Gravatar', addedDate: new Date(ADOBE.AddedDate), exposedPasswords: false },
    ]);
  });

  it('reads 404 as "in no breach"', async () => {
    server = await LocalHttpServer.start((_request, response) => void response.writeHead(404).end());

    expect(await client().breachesFor('clean@example.org')).toEqual([]);
  });

  it('reads the JSON form of its "not found" as "in no breach" too', async () => {
    server = await LocalHttpServer.start(
      (_request, response) => void response.writeHead(404).end('{"statusCode":404,"message":"Not found"}'),
    );

    expect(await client().breachesFor('clean@example.org')).toEqual([]);
  });

  it.each([
    ['an HTML page', '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>'],
    ['another JSON error', '{"error":"no route"}'],
  ])('fails the lookup on a 404 that is not its "not found" but %s (a wrong path)', async (_case, body) => {
    server = await LocalHttpServer.start(
      (_request, response) => void response.writeHead(404, { 'content-type': 'text/html' }).end(body),
    );

    await expect(client().breachesFor('a@example.org')).rejects.toThrow(/404 with a body that is not its "not found"/);
  });

  it.each([
    [401, 'Have I Been Pwned refused the API key (401)'],
    [403, 'Have I Been Pwned refused the request (403)'],
  ])('fails at once on %i, without the key in the message', async (status, message) => {
    server = await LocalHttpServer.start((_request, response) => void response.writeHead(status).end('Access denied'));

    const error = await client()
      .breachesFor('a@example.org')
      .catch((caught: unknown) => caught);

    expect(error).toEqual(new IdentityLookupError(message));
    expect((error as Error).message).not.toContain(KEY);
    expect(server.requests).toHaveLength(1);
  });

  it('waits for Retry-After on 429, and retries 5xx', async () => {
    const waits: number[] = [];
    const statuses = [429, 503, 200];
    server = await LocalHttpServer.start((_request, response, index) => {
      const status = statuses[index] ?? 200;
      if (status === 200) return void response.end(JSON.stringify([ADOBE]));
      response.writeHead(status, status === 429 ? { 'Retry-After': '2' } : {}).end();
    });

    const breaches = await client({ sleep: async (ms) => void waits.push(ms) }).breachesFor('a@example.org');

    expect(breaches).toHaveLength(1);
    expect(waits.filter((ms) => ms >= 1000)).toEqual([2000, 2000]);
  });

  it.each([
    ['not JSON', '<html>Cloudflare error</html>'],
    ['JSON of another shape', '{"message": "ok"}'],
    ['breaches without dates', JSON.stringify([{ Name: 'X', DataClasses: [] }])],
  ])('fails closed on a 200 body that is %s', async (_case, body) => {
    server = await LocalHttpServer.start((_request, response) => void response.end(body));

    await expect(client().breachesFor('a@example.org')).rejects.toThrow(IdentityLookupError);
  });

  it('never exceeds the rate limit, however many lookups run at once', async () => {
    const started: number[] = [];
    server = await LocalHttpServer.start((_request, response) => {
      started.push(Date.now());
      response.writeHead(404).end();
    });
    const limited = client({ requestsPerMinute: 600 });

    await Promise.all(Array.from({ length: 12 }, (_, index) => limited.breachesFor(`user${index}@example.org`)));

    expect(started).toHaveLength(12);
    for (const [index, time] of started.entries()) {
      const inWindow = started.filter((other) => other >= time && other < time + 1000).length;
      expect(`window from request ${index}: ${inWindow}`).toMatch(/: ([0-9]|10)$/);
    }
  });
});
