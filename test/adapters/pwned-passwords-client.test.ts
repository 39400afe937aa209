import { BreachSourceConfigError, PwnedPasswordsClient } from '../../lambdas/adapters/pwned-passwords-client';
import { BreachLookupError } from '../../lambdas/core/evidence-sources';
import { LocalHttpServer } from '../support/local-http-server';
import { rangeBody, sha1Hex } from '../support/passwords';

const HASH = sha1Hex('correct horse battery staple');
const PREFIX = HASH.slice(0, 5);
const SUFFIX = HASH.slice(5);
const OTHER_SUFFIX = '0'.repeat(35);

describe('Class: PwnedPasswordsClient', () => {
  let server: LocalHttpServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function serve(...responses: ((response: import('node:http').ServerResponse) => void)[]) {
    server = await LocalHttpServer.start((_request, response, index) => {
      const respond = responses[Math.min(index, responses.length - 1)];
      respond?.(response);
    });
    return server;
  }
  const ok = (body: string) => (response: import('node:http').ServerResponse) => response.end(body);
  const status =
    (code: number, headers: Record<string, string> = {}, body = '') =>
    (response: import('node:http').ServerResponse) => {
      response.writeHead(code, headers);
      response.end(body);
    };
  const client = (options: ConstructorParameters<typeof PwnedPasswordsClient>[0] = {}) =>
    new PwnedPasswordsClient({ baseUrl: server?.url, baseBackoffMs: 1, timeoutMs: 2000, ...options });

  describe('Method: countsFor', () => {
    it('sends only the prefix, with padding requested, and returns the count of a matching suffix', async () => {
      await serve(
        ok(
          rangeBody(
            [
              [OTHER_SUFFIX, 4],
              [SUFFIX, 3861493],
            ],
            50,
          ),
        ),
      );

      const counts = await client().countsFor(PREFIX, new Set([SUFFIX]));

      expect(counts).toEqual(new Map([[SUFFIX, 3861493]]));
      expect(server?.requests).toEqual([
        expect.objectContaining({
          method: 'GET',
          url: `/range/${PREFIX}`,
          headers: expect.objectContaining({ 'add-padding': 'true', 'user-agent': 'credential-hygiene' }),
        }),
      ]);
    });

    it.each([
      ['CRLF', '\r\n'],
      ['LF', '\n'],
    ])('reads %s line endings and lower-case hex alike', async (_name, eol) => {
      await serve(ok(rangeBody([[SUFFIX.toLowerCase(), 12]], 3, eol) + eol));

      expect(await client().countsFor(PREFIX, new Set([SUFFIX]))).toEqual(new Map([[SUFFIX, 12]]));
    });

    it('ignores padding lines, whose count is 0, even for a wanted suffix', async () => {
      await serve(ok(rangeBody([[SUFFIX, 0]], 20)));

      expect(await client().countsFor(PREFIX, new Set([SUFFIX]))).toEqual(new Map());
    });

    it('honours Retry-After in seconds on 429, then succeeds', async () => {
      const waits: number[] = [];
      await serve(status(429, { 'Retry-After': '2' }), ok(rangeBody([[SUFFIX, 5]])));

      const counts = await client({ sleep: async (ms) => void waits.push(ms) }).countsFor(PREFIX, new Set([SUFFIX]));

      expect(counts.get(SUFFIX)).toBe(5);
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThanOrEqual(2000);
      expect(server?.requests).toHaveLength(2);
    });

    it('really waits for Retry-After with the default sleep', async () => {
      await serve(status(429, { 'Retry-After': '1' }), ok(rangeBody([[SUFFIX, 5]])));
      const started = Date.now();

      await client().countsFor(PREFIX, new Set([SUFFIX]));

      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('honours Retry-After given as an HTTP date', async () => {
      const waits: number[] = [];
      const now = Date.parse('2026-06-01T12:00:00Z');
      await serve(status(429, { 'Retry-After': 'Mon, 01 Jun 2026 12:00:07 GMT' }), ok(rangeBody([[SUFFIX, 5]])));

      await client({ sleep: async (ms) => void waits.push(ms), clock: () => now }).countsFor(PREFIX, new Set([SUFFIX]));

      expect(waits[0]).toBeGreaterThanOrEqual(7000);
    });

    it('fails at once, without waiting, when Retry-After is longer than it will wait', async () => {
      const waits: number[] = [];
      await serve(status(429, { 'Retry-After': '3600' }));

      await expect(
        client({ sleep: async (ms) => void waits.push(ms) }).countsFor(PREFIX, new Set([SUFFIX])),
      ).rejects.toThrow(/asked to wait 3600 s, longer than the 60 s/);
      expect(waits).toEqual([]);
    });

    it('retries 5xx with growing backoff and then succeeds', async () => {
      const waits: number[] = [];
      await serve(status(503), status(500), ok(rangeBody([[SUFFIX, 9]])));

      const counts = await client({
        baseBackoffMs: 100,
        random: () => 1,
        sleep: async (ms) => void waits.push(ms),
      }).countsFor(PREFIX, new Set([SUFFIX]));

      expect(counts.get(SUFFIX)).toBe(9);
      expect(waits).toEqual([100, 200]);
    });

    it('rejects after its attempts when the server keeps failing', async () => {
      await serve(status(503));

      await expect(client({ maxAttempts: 3 }).countsFor(PREFIX, new Set([SUFFIX]))).rejects.toThrow(
        new BreachLookupError('the breach range lookup failed after 3 attempts: HTTP 503'),
      );
      expect(server?.requests).toHaveLength(3);
    });

    it('does not retry a 404, and does not read it as "not found"', async () => {
      await serve(status(404, {}, 'Not found'));

      await expect(client().countsFor(PREFIX, new Set([SUFFIX]))).rejects.toThrow(
        'the breach range lookup failed: HTTP 404',
      );
      expect(server?.requests).toHaveLength(1);
    });

    it('times out a server that never answers, within a bounded time', async () => {
      server = await LocalHttpServer.start(() => {});
      const started = Date.now();

      await expect(client({ timeoutMs: 150, maxAttempts: 2 }).countsFor(PREFIX, new Set([SUFFIX]))).rejects.toThrow(
        'after 2 attempts: timed out after 150 ms',
      );
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('retries a reset connection', async () => {
      server = await LocalHttpServer.start((request, response, index) => {
        if (index === 0) request.socket.destroy();
        else response.end(rangeBody([[SUFFIX, 2]]));
      });

      expect((await client().countsFor(PREFIX, new Set([SUFFIX]))).get(SUFFIX)).toBe(2);
    });

    it('never parses a body the connection cut short: it fails the attempt and tries again', async () => {
      const body = rangeBody([[SUFFIX, 5]], 900);
      server = await LocalHttpServer.start((request, response, index) => {
        if (index > 0) return void response.end(body);
        response.writeHead(200, { 'Content-Length': String(Buffer.byteLength(body)) });
        response.write(body.slice(0, 1000), () => request.socket.destroy());
      });

      await expect(client({ maxAttempts: 1 }).countsFor(PREFIX, new Set([SUFFIX]))).rejects.toThrow(
        /the breach range lookup failed after 1 attempt: connection failed \(UND_ERR_SOCKET\)/,
      );
      expect((await client().countsFor(PREFIX, new Set([SUFFIX]))).get(SUFFIX)).toBe(5);
    });

    it.each([
      ['garbage lines', `${SUFFIX}:12\r\nnot-a-hash-line\r\n`],
      ['an HTML error page sent with status 200', '<html><body>Service temporarily unavailable</body></html>'],
      ['an empty body', ''],
      ['a count that is not a number', `${SUFFIX}:many`],
    ])('fails closed on %s rather than report "not found"', async (_case, body) => {
      await serve(ok(body));

      await expect(client({ maxAttempts: 2 }).countsFor(PREFIX, new Set([SUFFIX]))).rejects.toThrow(BreachLookupError);
      expect(server?.requests).toHaveLength(2);
    });

    it('refuses an oversized body', async () => {
      await serve(ok(rangeBody([[SUFFIX, 1]], 40_000)));

      await expect(client({ maxBodyBytes: 64 * 1024 }).countsFor(PREFIX, new Set([SUFFIX]))).rejects.toThrow(
        /larger than 65536 bytes/,
      );
    });

    it('keeps at most maxConcurrentRequests in flight', async () => {
      server = await LocalHttpServer.start((_request, response) => {
        setTimeout(() => response.end(rangeBody([[OTHER_SUFFIX, 1]])), 30);
      });
      const ranges = client({ maxConcurrentRequests: 3 });
      const prefixes = Array.from({ length: 12 }, (_, index) => index.toString(16).toUpperCase().padStart(5, '0'));

      await Promise.all(prefixes.map((prefix) => ranges.countsFor(prefix, new Set([SUFFIX]))));

      expect(server.requests).toHaveLength(12);
      expect(server.maxInFlight).toBe(3);
    });

    it('works under a mirror path and never sends anything but the 5-hex prefix', async () => {
      await serve(ok(rangeBody([[SUFFIX, 1]])));

      await client({ baseUrl: `${server?.url}/pwned/` }).countsFor(PREFIX, new Set([SUFFIX]));

      expect(server?.requests[0]?.url).toBe(`/pwned/range/${PREFIX}`);
      expect(JSON.stringify(server?.requests)).not.toContain(SUFFIX);
    });

    it('revalidates a remembered range with If-None-Match: 304 is "unchanged", 200 brings counts and the new ETag', async () => {
      server = await LocalHttpServer.start((request, response) => {
        if (request.headers['if-none-match'] === '"v1"') return void response.writeHead(304).end();
        response.writeHead(200, { ETag: '"v2"' }).end(rangeBody([[SUFFIX, 8]]));
      });

      const unchanged = await client().countsSince(PREFIX, new Set([SUFFIX]), '"v1"');
      const changed = await client().countsSince(PREFIX, new Set([SUFFIX]), '"v0"');
      const first = await client().countsSince(PREFIX, new Set([SUFFIX]), undefined);

      expect(unchanged).toEqual({ unchanged: true });
      expect(changed).toEqual({ counts: new Map([[SUFFIX, 8]]), etag: '"v2"' });
      expect(first).toEqual({ counts: new Map([[SUFFIX, 8]]), etag: '"v2"' });
      expect(server.requests.map((request) => request.headers['if-none-match'])).toEqual(['"v1"', '"v0"', undefined]);
    });

    it('never takes a 304 it did not ask for as "not breached"', async () => {
      await serve(status(304));

      await expect(client().countsFor(PREFIX, new Set([SUFFIX]))).rejects.toThrow(
        'the breach range lookup failed: HTTP 304',
      );
    });

    it.each(['abcde', 'ABCD', 'ABCDEF', HASH])('refuses to send %s as a prefix', async (prefix) => {
      await expect(client({ baseUrl: 'http://127.0.0.1:9' }).countsFor(prefix, new Set())).rejects.toThrow(
        BreachLookupError,
      );
    });
  });

  describe('Constructor', () => {
    it.each([
      ['plain http to a remote host', 'http://mirror.internal.example', /must be https:\/\/ unless it is on loopback/],
      ['a URL that is not one', 'not a url', /not a valid URL/],
      ['credentials in the URL', 'https://user:pass@mirror.example', /must not carry credentials/],
      ['another scheme', 'ftp://mirror.example', /must be https:\/\//],
    ])('refuses %s', (_case, baseUrl, message) => {
      expect(() => new PwnedPasswordsClient({ baseUrl })).toThrow(BreachSourceConfigError);
      expect(() => new PwnedPasswordsClient({ baseUrl })).toThrow(message);
    });

    it('accepts https, loopback http, and remote http only when allowed explicitly', () => {
      expect(() => new PwnedPasswordsClient({ baseUrl: 'https://api.pwnedpasswords.com' })).not.toThrow();
      expect(() => new PwnedPasswordsClient({ baseUrl: 'http://localhost:8080' })).not.toThrow();
      expect(() => new PwnedPasswordsClient({ baseUrl: 'http://[::1]:8080' })).not.toThrow();
      expect(
        () => new PwnedPasswordsClient({ baseUrl: 'http://mirror.internal.example', allowInsecureHttp: true }),
      ).not.toThrow();
    });
  });
});
