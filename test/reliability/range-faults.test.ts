import type { ServerResponse } from 'node:http';
import { PwnedPasswordsClient } from '../../lambdas/adapters/pwned-passwords-client';
import { breachedPasswordCheck } from '../../lambdas/core/checks/breached-password';
import { scan } from '../../lambdas/core/scan';
import { LocalHttpServer } from '../support/local-http-server';
import { randomPassword, rangeBody, sha1Hex } from '../support/passwords';
import { expectEveryAccountAccounted } from '../support/scan-invariants';

type Fault = (response: ServerResponse, body: string, breachedSuffix: string) => void;

/** Writes `next()` every `ms` until the client goes away: a server that never finishes. */
function drip(response: ServerResponse, ms: number, next: () => string): void {
  response.writeHead(200, { 'Transfer-Encoding': 'chunked' });
  const timer = setInterval(() => response.write(next()), ms);
  response.on('close', () => clearInterval(timer));
}

/** Each fault misbehaves on some requests; `transient` ones recover within the client's attempts. */
const FAULTS: Record<string, { transient: boolean; fault: Fault }> = {
  'a 429 with Retry-After': { transient: true, fault: (r) => r.writeHead(429, { 'Retry-After': '0' }).end() },
  'a burst of 503': { transient: true, fault: (r) => r.writeHead(503).end('Service Unavailable') },
  'a reset connection': { transient: true, fault: (r) => r.socket?.destroy() },
  'a truncated body': {
    transient: true,
    fault: (r, body) => {
      r.writeHead(200, { 'Content-Length': String(body.length + 500) });
      r.write(body.slice(0, body.length / 2));
      r.socket?.destroy();
    },
  },
  'a response slower than the timeout': { transient: true, fault: () => {} },
  'an HTML error page with status 200': {
    transient: false,
    fault: (r) => r.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Rate limited</body></html>'),
  },
  'non-hex lines': { transient: false, fault: (r) => r.end('ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ:12\r\n') },
  'an oversized body': { transient: false, fault: (r) => r.end('0'.repeat(35).concat(':1\r\n').repeat(40_000)) },
  'a persistent 503': { transient: false, fault: (r) => r.writeHead(503).end() },
  // Each of these once hung the scan or read as "not breached".
  'a body trickled a byte at a time, under the idle timeout': {
    transient: false,
    fault: (r, body) => {
      let at = 0;
      drip(r, 50, () => body[at++ % body.length] as string);
    },
  },
  'an endless body': { transient: false, fault: (r) => drip(r, 1, () => `${'0'.repeat(35)}:0\r\n`.repeat(500)) },
  'the breached suffix in mixed case': {
    transient: false,
    fault: (r, body, suffix) => r.end(body.replace(suffix, `${suffix.slice(0, 20)}${suffix.slice(20).toLowerCase()}`)),
  },
  'the breached suffix listed first as padding': {
    transient: false,
    fault: (r, body, suffix) => r.end(`${suffix}:0\r\n${body}`),
  },
  'a close-delimited body cut short': {
    transient: false,
    fault: (r, body) => {
      // The lines after the cut (here, the suffix's own) never arrive; nothing in what did arrive says so.
      // Written raw: Node's server would add a Content-Length or chunked framing itself.
      r.socket?.end(`HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n${body.slice(body.indexOf('\r\n') + 2)}`);
    },
  },
  'a redirect': { transient: false, fault: (r) => r.writeHead(301, { Location: 'http://127.0.0.1:1/' }).end() },
};

/**
 * A random password whose range no other account's shares (the server tells accounts apart by prefix), and whose
 * suffix has a letter where the mixed-case fault lower-cases it: one in 1,150 random suffixes has none there, and
 * the fault would then change nothing.
 */
function passwordOfItsOwnRange(prefixesTaken: Set<string>): string {
  for (;;) {
    const password = randomPassword();
    const hash = sha1Hex(password);
    if (!prefixesTaken.has(hash.slice(0, 5)) && /[A-F]/.test(hash.slice(25))) {
      prefixesTaken.add(hash.slice(0, 5));
      return password;
    }
  }
}

describe('Reliability: a misbehaving range server', () => {
  const names = Object.keys(FAULTS);
  const prefixesTaken = new Set<string>();
  const password = () => passwordOfItsOwnRange(prefixesTaken);
  // Two accounts per fault, one breached and one not, plus accounts the server answers normally.
  const accounts = names.flatMap((name, index) => [
    { id: `fault-${index}-breached`, fault: name, password: password(), breached: true },
    { id: `fault-${index}-clean`, fault: name, password: password(), breached: false },
  ]);
  accounts.push(
    { id: 'healthy-breached', fault: '', password: password(), breached: true },
    { id: 'healthy-clean', fault: '', password: password(), breached: false },
  );
  const byPrefix = new Map(accounts.map((account) => [sha1Hex(account.password).slice(0, 5), account]));
  let server: LocalHttpServer;
  const attemptsByPrefix = new Map<string, number>();

  beforeAll(async () => {
    server = await LocalHttpServer.start((request, response) => {
      const prefix = request.url?.slice(-5) ?? '';
      const account = byPrefix.get(prefix);
      const attempt = (attemptsByPrefix.get(prefix) ?? 0) + 1;
      attemptsByPrefix.set(prefix, attempt);
      const hash = account ? sha1Hex(account.password) : '';
      // The clean account's range lists the same suffix, so that the mixed-case and duplicate faults hit it too.
      const body = rangeBody(account ? [[hash.slice(5), account.breached ? 1234 : 0]] : [], 30);
      const fault = account?.fault ? FAULTS[account.fault] : undefined;
      // Transient faults hit the first two attempts only; persistent ones hit every attempt.
      if (fault && (!fault.transient || attempt <= 2)) fault.fault(response, body, hash.slice(5));
      else response.end(body);
    });
  });
  afterAll(() => server.stop());

  it('ends in the right answer after transient faults, a check-error for exactly the persistent ones, in bounded time', async () => {
    // Long enough that a healthy answer arrives in time on a machine whose cores are both busy (with 300 ms, the
    // attempts after a burst of 503s timed out under load), short enough that the slow faults stay cheap to test.
    const timeoutMs = 1_000;
    const maxAttempts = 4;
    const client = new PwnedPasswordsClient({
      baseUrl: server.url,
      timeoutMs,
      maxAttempts,
      baseBackoffMs: 20,
      maxBodyBytes: 256 * 1024,
    });
    const started = Date.now();

    const result = await scan({
      entries: accounts.map((account) => ({
        ref: account.id,
        value: { id: account.id, platform: 'x.com', owner: 'press', password: account.password },
      })),
      checks: [breachedPasswordCheck],
      now: new Date('2026-06-01T00:00:00Z'),
      fingerprintKey: Buffer.alloc(32),
      breachSource: client,
    });
    const elapsed = Date.now() - started;

    expectEveryAccountAccounted(
      result,
      accounts.map((account) => account.id),
      [breachedPasswordCheck],
    );
    for (const account of accounts) {
      const outcome = result.accounts.find((each) => each.id === account.id)?.checks['breached-password'];
      const persistent = account.fault !== '' && !FAULTS[account.fault]?.transient;
      const expected = persistent ? 'error' : account.breached ? 'failed' : 'passed';
      expect(`${account.id} (${account.fault || 'no fault'}): ${outcome}`).toBe(
        `${account.id} (${account.fault || 'no fault'}): ${expected}`,
      );
    }
    // Worst case: every attempt times out, with the backoffs between them; all prefixes run concurrently.
    const bound = maxAttempts * timeoutMs + 20 * (1 + 2 + 4) * 1.5 + 2_000;
    expect(elapsed).toBeLessThan(bound);
  });

  it('never reads an error body as "not breached"', async () => {
    const client = new PwnedPasswordsClient({ baseUrl: server.url, maxAttempts: 2, baseBackoffMs: 1, timeoutMs: 300 });
    const html = accounts.find((account) => account.fault === 'an HTML error page with status 200' && account.breached);
    const prefix = sha1Hex(html?.password ?? '').slice(0, 5);

    await expect(client.countsFor(prefix, new Set([sha1Hex(html?.password ?? '').slice(5)]))).rejects.toThrow(
      /malformed range response/,
    );
  });
});
