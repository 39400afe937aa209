import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Report } from '../../lambdas/core/report/report';
import { generatedReads, identityCenterRead } from '../support/generated-reads';
import { runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

const NOW = new Date('2026-11-24T00:00:00Z');
const EXAMPLE = ['--inventory', 'examples/inventory.json', '--pwned-passwords', 'examples/pwned-passwords.txt'];

describe('CLI: scan --access-log (who knows the password)', () => {
  const dir = useTempDir();

  it("on 20,000 reads of 500 secrets over 90 days, finds every secret's people and every leaver who knows it", async () => {
    const estate = generatedReads(NOW);
    const inventory = join(dir(), 'inventory.json');
    writeFileSync(inventory, JSON.stringify(estate.inventory));
    // Half delivered to S3 (one gzipped log file), half as lookup-events output with EventTime in epoch seconds.
    const half = Math.floor(estate.records.length / 2);
    const s3 = join(dir(), 'cloudtrail.json.gz');
    writeFileSync(s3, gzipSync(JSON.stringify({ Records: estate.records.slice(0, half) })));
    const lookup = join(dir(), 'lookup-events.json');
    writeFileSync(
      lookup,
      JSON.stringify({
        Events: estate.records.slice(half).map((record) => ({
          EventTime: Date.parse(String(record.eventTime)) / 1000,
          CloudTrailEvent: JSON.stringify(record),
        })),
      }),
    );
    const leavers = join(dir(), 'leavers.csv');
    writeFileSync(leavers, estate.leaversCsv);

    const { code, stdout, stderr } = await runCli([
      'scan',
      '--inventory',
      inventory,
      '--checks',
      'knowers',
      '--access-log',
      s3,
      '--access-log',
      lookup,
      '--leavers',
      leavers,
      '--now',
      NOW.toISOString().slice(0, 10),
      '--format',
      'json',
    ]);
    const report = JSON.parse(stdout) as Report;

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(report.accounts).toHaveLength(500);
    let leaverFindings = 0;
    for (const account of report.accounts) {
      const expected = estate.expected.get(account.id);
      expect([account.id, account.knowers?.people]).toEqual([account.id, expected?.people.size]);
      expect([account.id, (account.knowers?.left ?? []).map((person) => person.name.toLowerCase()).sort()]).toEqual([
        account.id,
        [...(expected?.left ?? [])].sort(),
      ]);
      const finding = report.findings.find((found) => found.id === `${account.id}#knowers:leaver-knows`);
      expect([account.id, finding !== undefined]).toEqual([account.id, (expected?.left.size ?? 0) > 0]);
      if (finding) leaverFindings += 1;
    }
    expect(leaverFindings).toBeGreaterThan(50);
    // No finding names the monitor, and none carries a token, a key or an address from the logs.
    expect(stdout).not.toMatch(/CredentialHygiene-|ASIAEXAMPLE|203\.0\.113\.9/);
    // Every person on a team reads often: many-knowers fires where more than ten read one password.
    const many = report.findings.filter((found) => found.id.endsWith('#knowers:many-knowers'));
    expect(many.length).toBe([...estate.expected.values()].filter((each) => each.people.size > 10).length);
  }, 120_000);

  it('shows in the HTML report how many know each password and who of them has left, and a headline of such logins', async () => {
    const log = join(dir(), 'html-log.json');
    writeFileSync(
      log,
      JSON.stringify({
        Records: [
          identityCenterRead('alice@northshire.example', 'press-office/x', new Date('2026-11-01T09:00:00Z')),
          identityCenterRead('bob@northshire.example', 'press-office/x', new Date('2026-11-02T09:00:00Z')),
        ],
      }),
    );
    const leavers = join(dir(), 'html-leavers.json');
    writeFileSync(leavers, JSON.stringify([{ username: 'alice@northshire.example', leftOn: '2026-11-10' }]));

    const { stdout } = await runCli([
      'scan',
      ...EXAMPLE,
      '--access-log',
      log,
      '--leavers',
      leavers,
      '--now',
      '2026-11-24',
      '--format',
      'html',
    ]);

    expect(stdout).toContain('data-headline="known-to-leavers"><span class="value">1</span>');
    expect(stdout).toContain('<span class="small muted knowers">2 know it; left: alice@northshire.example</span>');
  });

  it('is opt-in: without --access-log the check does not run and the example reports as before', async () => {
    const { stdout } = await runCli(['scan', ...EXAMPLE, '--now', '2026-11-24', '--format', 'json']);
    const report = JSON.parse(stdout) as Report;

    expect(report.accounts.every((account) => account.checks.knowers === undefined)).toBe(true);
    expect(report.findings.some((found) => found.check === 'knowers')).toBe(false);
  });

  it('makes a log it cannot read a check that could not run on every login, never a pass', async () => {
    const truncated = join(dir(), 'truncated.json.gz');
    writeFileSync(
      truncated,
      gzipSync(JSON.stringify({ Records: [identityCenterRead('a', 'press-office/x', NOW)] })).subarray(0, 40),
    );

    const { stdout } = await runCli([
      'scan',
      ...EXAMPLE,
      '--access-log',
      truncated,
      '--now',
      '2026-11-24',
      '--format',
      'json',
    ]);
    const report = JSON.parse(stdout) as Report;

    const readable = report.accounts.filter((account) => account.status !== 'invalid');
    expect(readable.every((account) => account.checks.knowers === 'error')).toBe(true);
    const errors = report.findings.filter((found) => found.id.endsWith('#check-error:knowers'));
    expect(errors).toHaveLength(readable.length);
    expect(errors[0]?.detail).toContain('not a whole gzip file');
  });

  it('refuses --leavers without --access-log, and a leavers file it cannot read, naming the line', async () => {
    const leavers = join(dir(), 'bad-leavers.csv');
    writeFileSync(leavers, 'username,leftOn\nalice@example.org,31/12/2026\n');
    const log = join(dir(), 'log.json');
    writeFileSync(log, JSON.stringify({ Records: [] }));

    const alone = await runCli(['scan', ...EXAMPLE, '--leavers', leavers]);
    const bad = await runCli(['scan', ...EXAMPLE, '--access-log', log, '--leavers', leavers]);

    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--leavers needs --access-log');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 2: leftOn is not an ISO date');
    expect(bad.stderr).not.toContain('alice');
  });
});
