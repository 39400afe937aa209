// A synthetic Pwned Passwords range API for the benchmark, run as its own process so that serving does not take CPU
// from the scan being measured. Every answer waits the given latency; like the real API, each range has an ETag and
// a matching If-None-Match is answered 304 without a body. GET /stats and /reset count range requests.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const [corpusFile, latencyArg] = process.argv.slice(2);
const latencyMs = Number(latencyArg ?? 25);
const byPrefix = new Map<string, string[]>();
for (const hash of JSON.parse(readFileSync(corpusFile as string, 'utf8')) as string[]) {
  byPrefix.set(hash.slice(0, 5), [
    ...(byPrefix.get(hash.slice(0, 5)) ?? []),
    `${hash.slice(5)}:${1000 + hash.charCodeAt(7)}`,
  ]);
}
// About what the real API sends with Add-Padding: 800-1000 lines, most of them padding with a count of 0.
const padding = Array.from({ length: 850 }, () => `${randomBytes(18).toString('hex').slice(0, 35).toUpperCase()}:0`);
let requests = 0;

/** What the server sends, made once where it can: like the real API's CDN, it spends next to no time on an answer. */
const paddingBody = Buffer.from(padding.join('\r\n'));
const etags = new Map<string, string>();
function rangeOf(prefix: string): { body: Buffer; etag: string } {
  const lines = byPrefix.get(prefix);
  let etag = etags.get(prefix);
  if (etag === undefined) {
    etag = `"${createHash('md5')
      .update(`${prefix}\n${(lines ?? []).join('\n')}`)
      .digest('hex')}"`;
    etags.set(prefix, etag);
  }
  const body = lines ? Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n`), paddingBody]) : paddingBody;
  return { body, etag };
}

const server = createServer((request, response) => {
  const url = request.url ?? '';
  if (url === '/stats') return void response.end(JSON.stringify({ requests }));
  if (url === '/reset') {
    requests = 0;
    return void response.end('{}');
  }
  requests += 1;
  const { body, etag } = rangeOf(url.slice(-5));
  setTimeout(() => {
    if (request.headers['if-none-match'] === etag) return void response.writeHead(304, { ETag: etag }).end();
    response.writeHead(200, { ETag: etag }).end(body);
  }, latencyMs);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
