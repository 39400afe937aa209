import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZxcvbnStrengthEstimator } from '../../lambdas/adapters/zxcvbn-strength-estimator';
import { parseAccount } from '../../lambdas/core/account-parser';
import { ALL_CHECKS } from '../../lambdas/core/checks';
import { ownerDigests } from '../../lambdas/core/notification/owner-digest';
import { formatReport } from '../../lambdas/core/report/format-report';
import { buildReport } from '../../lambdas/core/report/report';
import { scan } from '../../lambdas/core/scan';
import { DUPLICATE_ID_ENTRIES, HOSTILE_ENTRIES, MARKER } from '../fixtures/hostile-entries';
import { randomPassword } from '../support/passwords';
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
      ...ownerDigests(report, { run: 'test' }).map((digest) => `${digest.subject}${digest.message}`),
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

    it.each([
      ['not JSON at all', `${MARKER} is not json`, /is not valid JSON/],
      ['JSON cut short', `{"accounts": [{"password": "${MARKER}`, /is not valid JSON/],
      ['a number', '42', /must hold a list of accounts/],
      ['an object without accounts', `{"logins": ["${MARKER}"]}`, /must hold a list of accounts/],
      ['accounts that are not a list', `{"accounts": "${MARKER}"}`, /must hold a list of accounts/],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a]), /is not valid JSON/],
    ])('refuses an inventory file that is %s with one line, exit 2', async (_case, content, message) => {
      const inventory = join(dir(), 'broken.json');
      writeFileSync(inventory, content);

      const run = await runCli(['scan', '--inventory', inventory, '--pwned-passwords', 'examples/pwned-passwords.txt']);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toContain(MARKER);
    });
  });
});
