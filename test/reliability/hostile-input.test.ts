import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownerDigests } from '../../lambdas/adapters/sns/sns-digests';
import { ZxcvbnStrengthEstimator } from '../../lambdas/adapters/zxcvbn-strength-estimator';
import { parseAccount } from '../../lambdas/core/account-parser';
import { ALL_CHECKS } from '../../lambdas/core/checks';
import { formatReport } from '../../lambdas/core/report/format-report';
import { buildReport } from '../../lambdas/core/report/report';
import { scan } from '../../lambdas/core/scan';
import { DUPLICATE_ID_ENTRIES, HOSTILE_ENTRIES, MARKER } from '../fixtures/hostile-entries';
import { randomPassword, sha1Hex } from '../support/passwords';
import { runCli } from '../support/run-cli';
import { expectEveryAccountAccounted } from '../support/scan-invariants';
import { useTempDir } from '../support/temp-dir';

const NOW = new Date('2026-06-01T00:00:00Z');
const good = (id: string) => ({
  id,
  platform: 'x.com',
  owner: 'press',
  password: randomPassword(),
  passwordChangedAt: '2026-05-01',
  totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
});

describe('Reliability: hostile and malformed input', () => {
  it(`has at least 40 hostile entries (${HOSTILE_ENTRIES.length})`, () => {
    expect(HOSTILE_ENTRIES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(HOSTILE_ENTRIES)('rejects %s with problems that quote nothing', (_name, entry) => {
    const result = parseAccount(entry, NOW);

    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.length).toBeGreaterThan(0);
      expect(JSON.stringify(result.problems)).not.toContain(MARKER);
    }
  });

  it('reports every hostile entry as invalid-secret, scans the good ones, and echoes nothing', async () => {
    const entries = [
      good('good/first'),
      ...HOSTILE_ENTRIES.map(([, entry]) => entry),
      ...DUPLICATE_ID_ENTRIES,
      good('good/last'),
    ].map((value, index) => ({ ref: `inventory[${index}]`, value }));

    const result = await scan({
      entries,
      checks: ALL_CHECKS,
      now: NOW,
      fingerprintKey: Buffer.alloc(32),
      breachSource: { countsFor: async () => new Map() },
      strengthEstimator: new ZxcvbnStrengthEstimator(),
    });
    const report = buildReport(result, NOW);

    expect(report.summary.accounts).toBe(entries.length);
    expect(report.summary.byStatus.invalid).toBe(HOSTILE_ENTRIES.length + 1);
    expect(report.findings.filter((found) => found.accountId.startsWith('good/')).map((found) => found.id)).toEqual([]);
    expectEveryAccountAccounted(
      report,
      report.accounts.map((account) => account.id),
      ALL_CHECKS,
    );
    const outputs = [
      ...(['json', 'table', 'markdown'] as const).map((format) => formatReport(report, format)),
      ...ownerDigests(report, { family: 'test' }).map((digest) => `${digest.subject}${digest.message}`),
    ];
    for (const output of outputs) expect(output).not.toContain(MARKER);
  });

  describe('through the CLI', () => {
    const dir = useTempDir();

    it('reports the hostile entries of an inventory file and exits 0', async () => {
      const inventory = join(dir(), 'hostile.json');
      writeFileSync(
        inventory,
        JSON.stringify({ accounts: [good('good/one'), ...HOSTILE_ENTRIES.map(([, entry]) => entry)] }),
      );

      const run = await runCli([
        'scan',
        '--inventory',
        inventory,
        '--pwned-passwords',
        'examples/pwned-passwords.txt',
        '--format',
        'json',
      ]);

      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).summary.byStatus.invalid).toBe(HOSTILE_ENTRIES.length);
      expect(`${run.stdout}${run.stderr}`).not.toContain(MARKER);
    });

    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const yamlEntry = (password: string) => `accounts:\n  - id: a\n    platform: x.com\n    password: ${password}\n`;
    it.each([
      ['not JSON at all', 'broken.json', `${MARKER} is not json`, /is not valid JSON/],
      ['JSON cut short', 'broken.json', `{"accounts": [{"password": "${MARKER}`, /is not valid JSON/],
      ['a number', 'broken.json', '42', /must hold a list of accounts/],
      ['an object without accounts', 'broken.json', `{"logins": ["${MARKER}"]}`, /must hold a list of accounts/],
      ['accounts that are not a list', 'broken.json', `{"accounts": "${MARKER}"}`, /must hold a list of accounts/],
      [
        'invalid UTF-8',
        'broken.json',
        Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a]),
        /is not valid UTF-8 at byte offset \d+/,
      ],
      // The YAML library's warning quotes the whole line: the password must not reach stderr, nor a wrong value be read.
      [
        'YAML: an unquoted password starting with !',
        'inv.yaml',
        yamlEntry(`!${MARKER}`),
        /line 4, column 15\): a value starts with "!"/,
      ],
      ['YAML: a !!js/function tag', 'inv.yaml', yamlEntry(`!!js/function "${MARKER}"`), /a value starts with "!"/],
      [
        'YAML: an alias bomb',
        'inv.yaml',
        `a: &a ["${MARKER}",1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
        /aliases expand too far/,
      ],
      [
        'Latin-1 (a breached password would be hashed wrongly)',
        'inv.json',
        latin1(`[{"id":"a","platform":"x.com","password":"caf\u00e9-${MARKER}"}]`),
        /is not valid UTF-8 at byte offset 45 \(saved as Latin-1/,
      ],
      [
        'UTF-8 with a byte-order mark',
        'inv.json',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`[{"password":"${MARKER}"}]`)]),
        /starts with a byte-order mark/,
      ],
      [
        'UTF-16 with a byte-order mark',
        'inv.json',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`[{"password":"${MARKER}"}]`, 'utf16le')]),
        /is UTF-16/,
      ],
      [
        'UTF-16 without one',
        'inv.json',
        Buffer.from(`[{"password":"${MARKER}"}]`, 'utf16le'),
        /NUL byte at byte offset 1/,
      ],
    ])('refuses an inventory that is %s, naming the problem, exit 2', async (_case, name, content, message) => {
      const inventory = join(dir(), name);
      writeFileSync(inventory, content);

      const run = await runCli(['scan', '--inventory', inventory, '--pwned-passwords', 'examples/pwned-passwords.txt']);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toContain(MARKER);
    });

    it.each([
      [
        'a FIFO as the inventory',
        (fifo: string) => ['--inventory', fifo, '--pwned-passwords', 'examples/pwned-passwords.txt'],
      ],
      ['a FIFO as a policy', (fifo: string) => [...EXAMPLE_ARGS.slice(1), '--policy', fifo]],
      [
        '/dev/zero as the inventory',
        () => ['--inventory', '/dev/zero', '--pwned-passwords', 'examples/pwned-passwords.txt'],
      ],
    ])('refuses %s at once, instead of hanging or reading forever', async (_case, args) => {
      const fifo = join(dir(), 'fifo.json');
      execFileSync('mkfifo', [fifo]);

      const run = await runCli(['scan', ...args(fifo)]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/it is not a regular file \((a FIFO|a character device)\)/);
    });

    it('refuses a FIFO as a state file or beside it as its key, and a FIFO as a range file is a check-error', async () => {
      const state = join(dir(), 'state.json');
      execFileSync('mkfifo', [state]);
      const ranges = join(dir(), 'ranges');
      mkdirSync(ranges);
      const inventory = join(dir(), 'one.json');
      const password = randomPassword();
      writeFileSync(inventory, JSON.stringify([{ ...good('a'), password }]));
      execFileSync('mkfifo', [join(ranges, `${sha1Hex(password).slice(0, 5)}.txt`)]);

      const withState = await runCli([...EXAMPLE_ARGS, '--state', state]);
      const withRanges = await runCli([
        'scan',
        '--inventory',
        inventory,
        '--pwned-passwords',
        ranges,
        '--format',
        'json',
      ]);

      expect(withState.code).toBe(2);
      expect(withState.stderr).toMatch(
        /--state .*: not a regular file \(a device or a pipe cannot keep state between runs\)/,
      );
      expect(withRanges.code).toBe(0);
      expect(JSON.parse(withRanges.stdout).findings.map((found: { id: string }) => found.id)).toContain(
        'a#check-error:breached-password',
      );
    });

    it('leaves no temporary file behind when --output cannot be written', async () => {
      const output = join(dir(), 'report-dir');
      mkdirSync(output);

      const run = await runCli([...EXAMPLE_ARGS, '--output', output]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/cannot write --output .*report-dir: it is a directory/);
      expect(readdirSync(dir()).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });

    it('names --hibp-url, not a flag that does not apply to it, when it is plain http', async () => {
      const run = await runCli([...EXAMPLE_ARGS, '--hibp-url', 'http://hibp.example.org'], undefined, {
        HIBP_API_KEY: 'k'.repeat(32),
      });

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /--hibp-url must be https:\/\/ unless it is on loopback \(got http:\/\/hibp\.example\.org\)/,
      );
      expect(run.stderr).not.toContain('--allow-insecure-breach-url');
    });

    it('recovers from an empty key file a first run on a full disk left, and writes the new key whole', async () => {
      const state = join(dir(), 'fresh.json');
      writeFileSync(`${state}.key`, '');

      const run = await runCli([...EXAMPLE_ARGS, '--state', state]);

      expect(run.code).toBe(0);
      expect(readFileSync(`${state}.key`, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
      expect(readdirSync(dir()).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });

    it.each([
      [
        'null where a scope belongs',
        { version: 1, scopes: { cli: null }, passwords: {} },
        /scopes\.cli is not what it should be/,
      ],
      ['null findings', { version: 1, scopes: { cli: { findings: null } }, passwords: {} }, /scopes\.cli\.findings/],
      [
        'a finding of the wrong shape',
        { version: 1, scopes: { cli: { findings: { x: { id: 1 } } } }, passwords: {} },
        /scopes\.cli\.findings\.x/,
      ],
      ['null passwords', { version: 1, scopes: {}, passwords: null }, /passwords is not what it should be/],
    ])('refuses a state file with %s, naming where, exit 2', async (_case, content, message) => {
      const state = join(dir(), 'state.json');
      writeFileSync(state, JSON.stringify(content));

      const run = await runCli([...EXAMPLE_ARGS, '--state', state]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    });
  });
});

const EXAMPLE_ARGS = [
  'scan',
  '--inventory',
  'examples/inventory.json',
  '--pwned-passwords',
  'examples/pwned-passwords.txt',
];
