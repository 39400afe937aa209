import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformCatalog } from '../../lambdas/core/platform-catalog';
import type { Report } from '../../lambdas/core/report/report';
import { LocalHttpServer } from '../support/local-http-server';
import { randomPassword, rangeBody, sha1Hex } from '../support/passwords';
import { CLI_BUNDLE, runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

const EXAMPLE = ['scan', '--inventory', 'examples/inventory.json', '--pwned-passwords', 'examples/pwned-passwords.txt'];
const AS_OF = ['--now', '2026-11-24'];

describe('CLI: credential-hygiene scan', () => {
  const dir = useTempDir();
  const write = (name: string, content: unknown) => {
    const path = join(dir(), name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const cleanLogin = (id: string) => ({
    id,
    platform: 'x.com',
    owner: 'press-office',
    password: randomPassword(),
    passwordChangedAt: '2026-11-01',
    totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  });

  describe('on the bundled example', () => {
    it('prints a table, worst first, ending with the summary', async () => {
      const { code, stdout, stderr } = await runCli([...EXAMPLE, ...AS_OF]);

      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const all = stdout.trimEnd().split('\n');
      // The actions first, the mailbox's first: it is the cause of the chains through it.
      expect(all[0]).toBe('What to do first (8 actions, the one that fixes most first):');
      expect(all[1]).toMatch(/^ {2}1\. CRITICAL Fix press-office\/mailbox: change its password/);
      expect(all[2]).toMatch(
        /exposes: press-office\/facebook, press-office\/instagram, press-office\/press-releases, press-office\/x$/,
      );
      const lines = all.slice(all.findIndex((line) => line.startsWith('SEVERITY')));
      expect(lines[0]).toMatch(/^SEVERITY\s+ACCOUNT\s+OWNER\s+CHECK\s+FINDING\s+WHAT TO DO$/);
      expect(lines[1]).toMatch(/^CRITICAL\s/);
      expect(lines.at(-1)).toMatch(
        /^10 accounts \(7 at risk, 1 exposed, 1 invalid, 1 ok\); \d+ findings: 9 critical, /,
      );
    });

    it('reports each mistake the example was built with', async () => {
      const { code, stdout } = await runCli([...EXAMPLE, ...AS_OF, '--format', 'json']);

      expect(code).toBe(0);
      const report = JSON.parse(stdout) as Report;
      const ids = report.findings.map((found) => found.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'press-office/x#breached-password:breached',
          'press-office/x#mfa:disabled',
          'press-office/x#reused-password:reused',
          'press-office/mailbox#reused-password:reused',
          'press-office/x#password-age:too-old',
          'press-office/mailbox#mfa:no-evidence',
          'press-office/instagram#mfa:invalid-totp',
          'press-office/instagram#weak-password:weak',
          'press-office/press-releases#mfa:unavailable',
          'chief-constable/linkedin#ownership:missing-owner',
          'chief-constable/linkedin#mfa:stale-attestation',
          'chief-constable/linkedin#password-age:unknown-age',
          'press-office/youtube#invalid-secret:invalid',
          'digital-team/bluesky#breached-password:breached',
          // The incident's chain: each login whose resets go to the shared mailbox falls with it.
          'press-office/x#recovery:exposed-chain',
          'press-office/press-releases#recovery:exposed-chain',
          // SMS as the only second factor, where TikTok offers an authenticator app.
          'digital-team/tiktok#mfa:sms-only',
        ]),
      );
      // SMS only, on a service that offers nothing better: not a finding.
      expect(report.accounts.find((account) => account.id === 'digital-team/press-alerts')?.status).toBe('ok');
      // Facebook is well kept itself: only the mailbox its resets go to exposes it.
      const facebook = report.accounts.find((account) => account.id === 'press-office/facebook');
      expect(facebook?.status).toBe('exposed');
      expect(Object.entries(facebook?.checks ?? {}).filter(([, outcome]) => outcome !== 'passed')).toEqual([
        ['recovery', 'failed'],
      ]);
      expect(report.accounts.find((account) => account.id === 'press-office/mailbox')?.exposes).toEqual([
        'press-office/facebook',
        'press-office/instagram',
        'press-office/press-releases',
        'press-office/x',
      ]);
      expect(
        report.findings.find((found) => found.id === 'press-office/x#recovery:exposed-chain')?.evidence,
      ).toMatchObject({
        chains: [{ logins: ['press-office/x', 'press-office/mailbox'] }],
        fixFirst: 'press-office/mailbox',
      });
      expect(report).toMatchObject({ schemaVersion: 5, summary: { accounts: 10, findings: ids.length } });
      for (const found of report.findings) {
        const optional = ['link', 'rootAction'].filter((key) => Object.hasOwn(found, key));
        expect(Object.keys(found).sort()).toEqual(
          ['accountId', 'check', 'detail', 'evidence', 'id', 'remediation', 'severity', 'title', ...optional].sort(),
        );
        expect(found.remediation.length).toBeGreaterThan(20);
      }
    });

    it('prints markdown for a ticket', async () => {
      const { code, stdout } = await runCli([...EXAMPLE, ...AS_OF, '--format', 'markdown']);

      expect(code).toBe(0);
      expect(stdout).toMatch(/^# Credential hygiene report\n\nGenerated .*10 accounts/);
      expect(stdout).toMatch(/\n## What to do first\n\n1\. CRITICAL Fix press-office\/mailbox: change its password/);
      expect(stdout.indexOf('## What to do first')).toBeLessThan(stdout.indexOf('| Severity |'));
      expect(stdout).toContain('| **critical** | `press-office/x` | press-office | `mfa` |');
    });

    it('links every password and second-factor finding on a high-impact platform to its fix page, in every format', async () => {
      const [json, table, markdown, csv] = await Promise.all(
        ['json', 'table', 'markdown', 'csv'].map((format) => runCli([...EXAMPLE, ...AS_OF, '--format', format])),
      );
      const report = JSON.parse(json?.stdout ?? '{}') as Report;
      const platformOf = new Map(report.accounts.map((account) => [account.id, account.platform]));
      const catalog = PlatformCatalog.bundled();
      const fixable = report.findings.filter(
        (found) =>
          catalog.find(platformOf.get(found.accountId) ?? '')?.highImpact === true &&
          ['breached-password', 'weak-password', 'password-age', 'reused-password', 'mfa'].includes(found.check) &&
          !found.id.endsWith(':unknown-age'),
      );

      expect(fixable.length).toBeGreaterThan(8);
      for (const found of fixable) expect(found.link).toMatch(/^https:\/\//);
      const xPassword = 'https://x.com/settings/password';
      expect(report.findings.find((found) => found.id === 'press-office/x#breached-password:breached')?.link).toBe(
        xPassword,
      );
      expect(table?.stdout).toContain(`     ${xPassword}\n`);
      expect(markdown?.stdout).toContain(`<${xPassword}>`);
      expect(csv?.stdout).toContain(`,${xPassword},fix:press-office/x,`);
    });

    it('writes the report to --output and says so on stderr', async () => {
      const output = join(dir(), 'report.json');

      const { code, stdout, stderr } = await runCli([...EXAMPLE, ...AS_OF, '--format', 'json', '--output', output]);

      expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
      expect(stderr).toMatch(/^Report written to .*report\.json: 10 accounts/);
      expect(JSON.parse(readFileSync(output, 'utf8')).schemaVersion).toBe(5);
    });

    it.each([
      ['critical', 1],
      ['info', 1],
    ])('--fail-on %s exits %i when a finding reaches it', async (severity, expected) => {
      expect((await runCli([...EXAMPLE, ...AS_OF, '--fail-on', severity])).code).toBe(expected);
    });

    it('measures ages as of --now', async () => {
      const run = async (now: string) =>
        (JSON.parse((await runCli([...EXAMPLE, '--now', now, '--format', 'json'])).stdout) as Report).findings.find(
          (found) => found.id === 'press-office/x#password-age:too-old',
        )?.evidence.ageDays;

      expect(await run('2026-11-24')).toBe(2812);
      expect(await run('2027-11-24')).toBe(3177);
    });
  });

  it('exits 0 under --fail-on when nothing reaches it', async () => {
    const inventory = write('clean.json', [cleanLogin('a')]);

    const { code, stdout } = await runCli([
      'scan',
      '--inventory',
      inventory,
      '--pwned-passwords',
      'examples/pwned-passwords.txt',
      '--fail-on',
      'low',
    ]);

    expect(code).toBe(0);
    expect(stdout).toBe('1 account (1 ok); no findings\n');
  });

  it('applies a --policy file', async () => {
    const policy = write('policy.json', { severityOverrides: { 'mfa:disabled': 'low' } });

    const { stdout } = await runCli([...EXAMPLE, ...AS_OF, '--format', 'json', '--policy', policy]);

    const report = JSON.parse(stdout) as Report;
    expect(report.findings.find((found) => found.id === 'press-office/x#mfa:disabled')?.severity).toBe('low');
  });

  it('queries a range API URL, sending only prefixes with padding requested', async () => {
    const breached = randomPassword();
    const hash = sha1Hex(breached);
    const server = await LocalHttpServer.start((request, response) => {
      const prefix = request.url?.slice(-5);
      response.end(rangeBody(prefix === hash.slice(0, 5) ? [[hash.slice(5), 77]] : [], 30));
    });
    try {
      const inventory = write('inventory.json', {
        accounts: [cleanLogin('a'), { ...cleanLogin('b'), password: breached }],
      });

      const { code, stdout } = await runCli([
        'scan',
        '--inventory',
        inventory,
        '--pwned-passwords',
        server.url,
        '--format',
        'json',
      ]);

      expect(code).toBe(0);
      const report = JSON.parse(stdout) as Report;
      expect(report.findings.map((found) => [found.id, found.evidence])).toEqual([
        ['b#breached-password:breached', { breachCount: 77 }],
      ]);
      expect(server.requests.map((request) => request.url)).toEqual(
        expect.arrayContaining([`/range/${hash.slice(0, 5)}`]),
      );
      for (const request of server.requests) {
        expect(request.url).toMatch(/^\/range\/[0-9A-F]{5}$/);
        expect(request.headers['add-padding']).toBe('true');
      }
    } finally {
      await server.stop();
    }
  });

  it('asks two breach sources given together: breached when either holds it, failed when either fails', async () => {
    const inLocalOnly = randomPassword();
    const inApiOnly = randomPassword();
    const local = write('corpus.txt', `${sha1Hex(inLocalOnly)}:12\n`);
    const api = await LocalHttpServer.start((request, response) => {
      const hash = sha1Hex(inApiOnly);
      response.end(rangeBody(request.url?.endsWith(hash.slice(0, 5)) ? [[hash.slice(5), 77]] : [], 30));
    });
    const inventory = write('inventory.json', [
      { ...cleanLogin('a'), password: inLocalOnly },
      { ...cleanLogin('b'), password: inApiOnly },
      cleanLogin('c'),
    ]);
    const scanned = async (apiUrl: string) =>
      JSON.parse(
        (
          await runCli([
            'scan',
            '--inventory',
            inventory,
            '--pwned-passwords',
            local,
            '--pwned-passwords',
            apiUrl,
            '--format',
            'json',
            ...AS_OF,
          ])
        ).stdout,
      ) as Report;

    const apiUrl = api.url;
    const both = await scanned(apiUrl);
    await api.stop();
    const apiDown = await scanned(apiUrl);

    expect(both.findings.map((found) => [found.id, found.evidence])).toEqual([
      ['a#breached-password:breached', { breachCount: 12 }],
      ['b#breached-password:breached', { breachCount: 77 }],
    ]);
    expect(both.accounts.find((account) => account.id === 'c')?.checks['breached-password']).toBe('passed');
    // The local corpus alone would pass c, and would still find a: with the API down, no password is judged.
    expect(apiDown.findings.map((found) => found.id)).toEqual([
      'a#check-error:breached-password',
      'b#check-error:breached-password',
      'c#check-error:breached-password',
    ]);
    expect(apiDown.findings[0]?.detail).toContain('source 2 of 2: the breach range lookup failed');
  });

  it('fails a --fail-on gate when accounts could not be checked, whatever the threshold, unless told otherwise', async () => {
    const inventory = write('inventory.json', [cleanLogin('a'), cleanLogin('b')]);
    const closed = await LocalHttpServer.start(() => {});
    const url = closed.url;
    await closed.stop();
    const gate = (...extra: string[]) =>
      runCli(['scan', '--inventory', inventory, '--pwned-passwords', url, '--fail-on', 'high', ...extra]);

    const strict = await gate();
    const allowed = await gate('--allow-unchecked');

    // The check-errors are medium, below the gate: still, an estate it could not check must not pass.
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/--fail-on: 2 accounts were not fully checked \(a, b\).*--allow-unchecked/);
    expect(allowed.code).toBe(0);
  });

  it('fails the gate on an account at risk for something else that a check could not run on', async () => {
    // Strong passwords 7 and 8 months old: each has a password-age finding, so each is "at risk", and the breach
    // lookup that could not run must still fail a critical gate.
    const inventory = write('inventory.json', [
      { ...cleanLogin('a'), passwordChangedAt: '2026-04-20' },
      { ...cleanLogin('b'), passwordChangedAt: '2026-03-20' },
    ]);
    const closed = await LocalHttpServer.start(() => {});
    const url = closed.url;
    await closed.stop();
    const scanned = (...extra: string[]) =>
      runCli(['scan', '--inventory', inventory, '--pwned-passwords', url, ...AS_OF, ...extra]);

    const gate = await scanned('--fail-on', 'critical');
    const report = JSON.parse((await scanned('--format', 'json')).stdout) as Report;
    const html = (await scanned('--format', 'html')).stdout;

    expect(report.accounts.map((account) => account.status)).toEqual(['at-risk', 'at-risk']);
    expect(gate.code).toBe(1);
    expect(gate.stderr).toMatch(/--fail-on: 2 accounts were not fully checked \(a, b\)/);
    expect(report.summary.unchecked).toBe(2);
    expect(html).toContain('data-headline="unchecked"><span class="value">2</span>');
  });

  it('refuses a --now that is year 10000 in UTC as input, with a policy exception to check against it', async () => {
    const policy = write('policy.json', {
      exceptions: [{ account: 'a', check: 'mfa:unavailable', reason: 'r', acceptedBy: 'b', expires: '9999-12-31' }],
    });

    const run = await runCli([...EXAMPLE, '--policy', policy, '--now', '9999-12-31T23:59:59-14:00']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--now 9999-12-31T23:59:59-14:00: not an ISO 8601 date .* in the years 0001 to 9999 \(UTC\)/,
    );
  });

  it.each([
    ['a scan', [...EXAMPLE, ...AS_OF]],
    ['--help', ['scan', '--help']],
  ])('ends quietly, never with exit 1, when the reader of %s goes away (| grep -q, | true)', async (_case, args) => {
    // The reader closes its end before a byte is written: every write the CLI makes meets EPIPE.
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });

    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('reports an owner with no recipients in the --owners file, as the functions do', async () => {
    const owners = write('owners.json', {
      'press-office': { emails: ['press@example.org'] },
      'digital-team': { emails: [], phones: [] },
    });

    const { code, stdout } = await runCli([...EXAMPLE, ...AS_OF, '--owners', owners, '--format', 'json']);
    const without = JSON.parse((await runCli([...EXAMPLE, ...AS_OF, '--format', 'json'])).stdout) as Report;

    expect(code).toBe(0);
    const unrouted = (JSON.parse(stdout) as Report).findings.filter((found) =>
      found.id.endsWith('#ownership:unrouted'),
    );
    expect(unrouted.map((found) => found.accountId).sort()).toEqual([
      'digital-team/bluesky',
      'digital-team/press-alerts',
      'digital-team/tiktok',
      'press-office/instagram',
    ]);
    expect(unrouted[0]?.evidence).toEqual({ owner: 'digital-team' });
    expect(without.findings.filter((found) => found.id.endsWith('#ownership:unrouted'))).toEqual([]);
  });

  it('refuses an --owners file that is not an owners object, naming the key', async () => {
    const owners = write('owners.json', { 'press-office': { emails: ['not-an-address'] } });

    const { code, stderr } = await runCli([...EXAMPLE, '--owners', owners]);

    expect(code).toBe(2);
    expect(stderr).toMatch(/press-office\.emails\[0\]|press-office.*emails.*must be an email address/);
  });

  it('reports check-errors, not a pass, when the range API cannot be reached', async () => {
    const inventory = write('inventory.json', [cleanLogin('a'), cleanLogin('b')]);
    const closed = await LocalHttpServer.start(() => {});
    const url = closed.url;
    await closed.stop();

    const { code, stdout } = await runCli([
      'scan',
      '--inventory',
      inventory,
      '--pwned-passwords',
      url,
      '--format',
      'json',
      '--fail-on',
      'medium',
    ]);

    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    expect(report.findings.map((found) => found.id).sort()).toEqual([
      'a#check-error:breached-password',
      'b#check-error:breached-password',
    ]);
    expect(report.findings[0]?.detail).toMatch(/connection failed \(ECONNREFUSED\)/);
    expect(report.accounts.map((account) => account.status)).toEqual(['incomplete', 'incomplete']);
  });

  describe('usage errors exit 2 with one line naming the problem', () => {
    it.each([
      ['no --inventory', ['scan'], /--inventory FILE is required \(or use --source aws\)/],
      [
        '--inventory with --source aws',
        ['scan', '--source', 'aws', '--inventory', 'x.json'],
        /--inventory is for --source file/,
      ],
      ['an unknown source', ['scan', '--source', 'vault'], /'--source <source>' argument 'vault' is invalid/],
      ['a missing inventory', ['scan', '--inventory', 'nope.json'], /cannot read inventory nope\.json: no such file/],
      ['an unknown format', [...EXAMPLE, '--format', 'xml'], /'--format <format>' argument 'xml' is invalid/],
      [
        'an unknown severity',
        [...EXAMPLE, '--fail-on', 'urgent'],
        /'--fail-on <severity>' argument 'urgent' is invalid/,
      ],
      ['a bad --now', [...EXAMPLE, '--now', '24/11/2026'], /--now 24\/11\/2026: not an ISO 8601 date/],
      [
        'a missing corpus',
        ['scan', '--inventory', 'examples/inventory.json', '--pwned-passwords', 'nope.txt'],
        /--pwned-passwords nope\.txt: no such file or directory/,
      ],
      [
        'plain http to a remote mirror',
        ['scan', '--inventory', 'examples/inventory.json', '--pwned-passwords', 'http://mirror.example'],
        /must be https:\/\/ unless it is on loopback/,
      ],
      ['an unknown option', [...EXAMPLE, '--verbose'], /unknown option '--verbose'/],
      ['an unknown command', ['audit'], /unknown command 'audit'/],
    ])('%s', async (_case, args, message) => {
      const { code, stdout, stderr } = await runCli(args);

      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^credential-hygiene: /);
      expect(stderr).toMatch(message);
    });

    it('an inventory that is not valid JSON', async () => {
      const inventory = write('broken.json', '{"accounts": [ {"id": "a", "password": "hunter2" "x": 1} ]}');

      const { code, stderr } = await runCli(['scan', '--inventory', inventory]);

      expect(code).toBe(2);
      expect(stderr).toBe(`credential-hygiene: inventory ${inventory} is not valid JSON (line 1, column 50)\n`);
    });

    it('a policy with a bad key, named', async () => {
      const policy = write('policy.json', { passwordAge: { mediumAfterDays: 90, highAfterDays: 30 }, colour: 'red' });

      const { code, stderr } = await runCli([...EXAMPLE, '--policy', policy]);

      expect(code).toBe(2);
      expect(stderr).toBe(`credential-hygiene: policy ${policy}: colour: is not a known field\n`);
    });
  });

  it('shows help and exits 2 when no command is given, and 0 for --version', async () => {
    const bare = await runCli([]);
    const version = await runCli(['--version']);

    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: credential-hygiene [options] [command]');
    expect(version).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('documents every option in --help', async () => {
    const { code, stdout } = await runCli(['scan', '--help']);

    expect(code).toBe(0);
    for (const option of [
      '--inventory',
      '--pwned-passwords',
      '--policy',
      '--format',
      '--output',
      '--fail-on',
      '--now',
      '--allow-insecure-breach-url',
      '--hibp-rate',
      '--hibp-url',
      '--state',
      '--owners',
      '--allow-unchecked',
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toMatch(
      /Exit codes: 0 done, 1 a finding at or above --fail-on \(or, with it, an account not fully\s+checked\), 2 bad usage/,
    );
  });
});
