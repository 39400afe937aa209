import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../lambdas/core/report/report';
import { EXPORTS_DIR, FIXTURE_SECRETS } from '../support/export-fixtures';
import { runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

describe('CLI: credential-hygiene import', () => {
  const temp = useTempDir();
  const bitwarden = join(EXPORTS_DIR, 'bitwarden.json');

  it('--to-inventory writes an inventory (owner-readable only) that scan reads, with the dates the export shows', async () => {
    const inventory = join(temp(), 'logins.json');
    const run = await runCli([
      'import',
      '--from',
      'bitwarden-json',
      bitwarden,
      '--owner-from',
      'folder',
      '--to-inventory',
      inventory,
    ]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^create\s+press-office\/x\.com\/northshirepolice\s+item 1$/m);
    expect(run.stdout).toMatch(/^skip\s+-\s+item 4: not a login \(a secure note\)$/m);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('3 create, 0 update, 0 unchanged, 4 skip, 0 conflict');
    expect(statSync(inventory).mode & 0o777).toBe(0o600);
    const scan = await runCli([
      'scan',
      '--inventory',
      inventory,
      '--pwned-passwords',
      'examples/pwned-passwords.txt',
      '--now',
      '2026-12-05',
      '--format',
      'json',
    ]);
    const report = JSON.parse(scan.stdout) as Report;
    expect(report.accounts.map((account) => [account.id, account.owner])).toEqual([
      ['press-office/x.com/northshirepolice', 'press-office'],
      ['press-office/outlook.com/press@northshire-police.example', 'press-office'],
      ['recruitment/bsky.app/northshire-recruit', 'recruitment'],
    ]);
    const age = report.findings.find(
      (finding) => finding.id === 'press-office/x.com/northshirepolice#password-age:too-old',
    );
    expect(age?.evidence).toMatchObject({ changedAt: '2024-03-14' });
    // The X login's TOTP seed came along: no finding says it lacks a second factor.
    expect(report.findings.some((finding) => finding.id === 'press-office/x.com/northshirepolice#mfa:disabled')).toBe(
      false,
    );
  });

  it('--format json gives every item its position, action and reason, and no value', async () => {
    const run = await runCli([
      'import',
      '--from',
      'lastpass-csv',
      join(EXPORTS_DIR, 'lastpass.csv'),
      '--owner',
      'press-office',
      '--to-inventory',
      join(temp(), 'x.json'),
      '--format',
      'json',
    ]);
    const plan = JSON.parse(run.stdout);
    expect(plan.summary).toEqual({ create: 3, update: 0, unchanged: 0, skip: 3, conflict: 0 });
    expect(plan.items[3]).toEqual({ position: 'row 5', action: 'skip', reason: 'not a login (a secure note)' });
    for (const secret of FIXTURE_SECRETS) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it.each([
    [['--owner', 'a', '--owner-from', 'folder'], /--owner and --owner-from: give one/],
    [
      ['--apply', '--to-inventory', 'x.json'],
      /--apply writes to Secrets Manager and --to-inventory to a file: give one/,
    ],
    [['--tag', 'novalue'], /--tag novalue: expected KEY=VALUE/],
    [['--tag', 'aws:x=1'], /--tag aws:x: not a tag key Secrets Manager takes/],
  ])('refuses %p in one line', async (extra, message) => {
    const run = await runCli(['import', '--from', 'bitwarden-json', bitwarden, ...extra]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a file that is not the format is exit 2 with one line that quotes nothing of it', async () => {
    const file = join(temp(), 'export.csv');
    writeFileSync(file, 'url,username,password\nhttps://x.com,a,"Hunter2-secret\n');
    const run = await runCli(['import', '--from', 'chrome-csv', file, '--to-inventory', join(temp(), 'out.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `credential-hygiene: ${file}: the file is not a well-formed CSV (line 2), so not a Chrome CSV export\n`,
    );
  });

  it('never writes the inventory over the export it reads', async () => {
    const copy = join(temp(), 'vault.json');
    writeFileSync(copy, readFileSync(bitwarden));
    const run = await runCli(['import', '--from', 'bitwarden-json', copy, '--to-inventory', copy]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--to-inventory .* is the export itself/);
    expect(readFileSync(copy)).toEqual(readFileSync(bitwarden));
  });
});
