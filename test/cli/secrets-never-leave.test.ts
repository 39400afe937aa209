import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalHttpServer } from '../support/local-http-server';
import { randomPassword, sha1Hex } from '../support/passwords';
import { type CliRun, runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const randomSeed = (length: number) => Array.from(randomBytes(length), (byte) => BASE32[byte % 32]).join('');

/** Every run of `width` characters of `secret`: a partial quote is a leak too. */
function windows(secret: string, width: number): string[] {
  if (secret.length <= width) return [secret];
  return Array.from({ length: secret.length - width + 1 }, (_, start) => secret.slice(start, start + width));
}

/** The fragments of each secret (passwords, their SHA-1 in either case, TOTP seeds) that must never appear. */
function forbiddenFragments(passwords: readonly string[], seeds: readonly string[]): string[] {
  return [
    ...passwords.flatMap((password) => {
      const hash = sha1Hex(password);
      return [...windows(password, 8), ...windows(hash, 12), ...windows(hash.toLowerCase(), 12)];
    }),
    ...seeds.flatMap((seed) => windows(seed, 8)),
  ];
}

function expectNoSecrets(outputs: readonly string[], forbidden: readonly string[]): void {
  const all = outputs.join('\n');
  expect(all.length).toBeGreaterThan(0);
  const leaked = forbidden.filter((fragment) => all.includes(fragment));
  if (leaked.length > 0) throw new Error(`${leaked.length} fragments of secrets appeared in the output`);
}

describe('CLI: secrets never leave', () => {
  const dir = useTempDir();
  const passwords = Array.from({ length: 10 }, () => randomPassword(12 + Math.floor(Math.random() * 20)));
  const seeds = [randomSeed(32), randomSeed(32), randomSeed(8)];
  const [p0, p1, p2, p3, p4, p5, p6, p7, p8, p9] = passwords as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const accounts = [
    {
      id: 'breached',
      platform: 'x.com',
      owner: 'press',
      password: p0,
      passwordChangedAt: '2019-01-01',
      mfa: { status: 'disabled' },
    },
    // A mailbox (Gmail) that can reset bad-seed: the takeover chain's text must hold no secret either.
    {
      id: 'reused-1',
      platform: 'gmail.com',
      owner: 'press',
      username: 'press@northshire.example',
      password: p1,
      totp: seeds[0],
    },
    {
      id: 'reused-2',
      platform: 'facebook.com',
      password: p1,
      totp: `otpauth://totp/FB:press?secret=${seeds[1]}&issuer=FB`,
    },
    {
      id: 'bad-seed',
      platform: 'instagram.com',
      owner: 'press',
      email: 'press@northshire.example',
      recoveryPhone: '+447700900123',
      password: p2,
      totp: seeds[2],
    },
    { id: 'same-phone', platform: 'tiktok.com', owner: 'press', recoveryPhone: '+44 7700 900123', password: p3 },
    { id: 'bad-seed-2', platform: 'instagram.com', owner: 'press', password: p3, totp: `${seeds[0]}!` },
    // A nine-digit number (the Faroe Islands): no more of it shows than of a long one.
    {
      id: 'faroe-1',
      platform: 'tiktok.com',
      owner: 'press',
      recoveryPhone: '+298 123 456',
      password: randomPassword(),
    },
    { id: 'faroe-2', platform: 'x.com', owner: 'press', recoveryPhone: '+298123456', password: randomPassword() },
    { id: 'control', platform: 'x.com', owner: 'press', password: `${p4}\n` },
    { id: 'unknown-field', platform: 'x.com', password: p5, [p6 as string]: 'oops' },
    { id: p7, platform: p7, password: 7 },
    { id: 'wrong-types', platform: 'x.com', password: p8, mfa: { status: p8, attestedAt: p8 } },
    { id: 'plain', platform: 'newswire.example', password: p9, passwordChangedAt: p9 },
  ];
  const forbidden = forbiddenFragments(
    passwords.filter((password) => password !== p6 && password !== p7),
    seeds,
  );

  async function scanWith(args: readonly string[]): Promise<CliRun> {
    const inventory = join(dir(), 'inventory.json');
    writeFileSync(inventory, JSON.stringify({ accounts }));
    const corpus = join(dir(), 'corpus.txt');
    writeFileSync(corpus, `${sha1Hex(p0)}:31\n${sha1Hex(p2)}:4\n`);
    return runCli(['scan', '--inventory', inventory, '--pwned-passwords', corpus, ...args]);
  }

  it.each([
    ['table'],
    ['json'],
    ['markdown'],
    ['html'],
    ['asff', '--aws-account-id', '111122223333', '--region', 'eu-west-2'],
  ])('in the %s report, on stdout and stderr', async (format, ...extra) => {
    const run = await scanWith(['--format', format, ...extra]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/breached|Breach/);
    expectNoSecrets([run.stdout, run.stderr], forbidden);
    // A recovery phone is personal data: masked wherever it is shown, never whole.
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/7700\s?900\s?123/);
    // At most the country code and the last two digits, whatever the length.
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/7700|900\s?1|123\s?456|3\s?456|1\s?2\s?3\s?4/);
    // The table shows titles only; every other format says which phone, masked.
    if (format !== 'table') expect(run.stdout).toContain('+298 ••••56');
  });

  it('shows the takeover chain and the shared recovery phone, masked', async () => {
    const run = await scanWith(['--format', 'json']);
    const report = JSON.parse(run.stdout) as { findings: { id: string; detail: string }[] };

    expect(report.findings.map((found) => found.id)).toEqual(
      expect.arrayContaining(['bad-seed#recovery:exposed-chain', 'bad-seed#recovery:shared-phone']),
    );
    expect(report.findings.find((found) => found.id === 'bad-seed#recovery:shared-phone')?.detail).toContain(
      '+44 ••••••••23',
    );
  });

  it('in a report written to --output', async () => {
    const output = join(dir(), 'report.md');
    const run = await scanWith(['--format', 'markdown', '--output', output]);

    expectNoSecrets([readFileSync(output, 'utf8'), run.stdout, run.stderr], forbidden);
  });

  it('when the breach source fails', async () => {
    const server = await LocalHttpServer.start((_request, response) => {
      response.writeHead(500);
      response.end(`internal error while handling ${passwords.join(',')}`);
    });
    try {
      const inventory = join(dir(), 'inventory.json');
      writeFileSync(inventory, JSON.stringify({ accounts }));

      const run = await runCli(['scan', '--inventory', inventory, '--pwned-passwords', server.url, '--format', 'json']);

      expect(run.stdout).toContain('check-error');
      expectNoSecrets([run.stdout, run.stderr], forbidden);
    } finally {
      await server.stop();
    }
  });

  it.each([
    ['JSON', 'inventory.json', (text: string) => text.replace(`"${p0}"`, `${p0}"`)],
    ['JSON cut short', 'inventory.json', (text: string) => text.slice(0, text.indexOf(p1) + 3)],
    [
      'YAML',
      'inventory.yaml',
      (text: string) => `accounts:\n  - password: "${p0}\n    id: [${p1}\n`.repeat(text.length > 0 ? 1 : 0),
    ],
  ])('when the inventory is broken %s', async (_case, name, breakIt) => {
    const inventory = join(dir(), name);
    writeFileSync(inventory, breakIt(JSON.stringify({ accounts })));

    const run = await runCli(['scan', '--inventory', inventory, '--pwned-passwords', 'examples/pwned-passwords.txt']);

    expect(run.code).toBe(2);
    expectNoSecrets([run.stdout, run.stderr], forbidden);
  });
});
