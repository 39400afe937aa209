import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asffSchema } from '../support/asff-schema';
import { randomPassword } from '../support/passwords';
import { runCli } from '../support/run-cli';

const EXAMPLE = ['--inventory', 'examples/inventory.json', '--pwned-passwords', 'examples/pwned-passwords.txt'];

describe('CLI: scan --format asff', () => {
  it("writes the findings as an ASFF array for batch-import-findings, under the account's default product", async () => {
    const [asff, json] = await Promise.all([
      runCli([
        'scan',
        ...EXAMPLE,
        '--now',
        '2026-11-24',
        '--format',
        'asff',
        '--aws-account-id',
        '111122223333',
        '--region',
        'eu-west-2',
      ]),
      runCli(['scan', ...EXAMPLE, '--now', '2026-11-24', '--format', 'json']),
    ]);
    const lines = asff.stdout.trimEnd().split('\n');
    const findings = lines.flatMap(
      (line) =>
        (JSON.parse(line) as { Findings: { Id: string; ProductArn: string; AwsAccountId: string; Types: string[] }[] })
          .Findings,
    );
    const report = JSON.parse(json.stdout) as { findings: { id: string }[] };

    expect(asff.code).toBe(0);
    for (const finding of findings) expect(asffSchema.safeParse(finding).error?.issues ?? []).toEqual([]);
    expect(findings.map((finding) => finding.Id)).toEqual(
      report.findings.map((found) => `credential-hygiene/cli/${found.id}`),
    );
    expect(new Set(findings.map((finding) => finding.ProductArn))).toEqual(
      new Set(['arn:aws:securityhub:eu-west-2:111122223333:product/111122223333/default']),
    );
    expect(findings.every((finding) => finding.AwsAccountId === '111122223333' && finding.Types.length === 1)).toBe(
      true,
    );
    // A chain through the mailbox links to the mailbox's own findings; a password finding links to the fix page.
    const byId = new Map(findings.map((finding) => [finding.Id, finding as unknown as Record<string, unknown>]));
    const chain = byId.get('credential-hygiene/cli/press-office/x#recovery:exposed-chain');
    expect(chain?.RelatedFindings).toContainEqual({
      ProductArn: 'arn:aws:securityhub:eu-west-2:111122223333:product/111122223333/default',
      Id: 'credential-hygiene/cli/press-office/mailbox#breached-password:breached',
    });
    expect(((chain?.ProductFields ?? {}) as Record<string, string>)['credential-hygiene/root-action']).toBe(
      'fix:press-office/mailbox',
    );
    expect(byId.get('credential-hygiene/cli/press-office/x#breached-password:breached')?.Remediation).toEqual({
      Recommendation: { Text: expect.any(String), Url: 'https://x.com/settings/password' },
    });
  });

  it('writes one BatchImportFindings input of at most 100 findings a line; with --state, archives what was fixed, created when first seen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credential-hygiene-asff-'));
    try {
      const inventory = join(dir, 'inventory.json');
      const accounts = Array.from({ length: 130 }, (_, index) => ({
        id: `estate/login-${String(index).padStart(3, '0')}`,
        platform: 'x.com',
        owner: 'press',
        password: randomPassword(),
        passwordChangedAt: '2025-01-01',
        totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      }));
      writeFileSync(inventory, JSON.stringify(accounts));
      const scan = (now: string) =>
        runCli([
          'scan',
          '--inventory',
          inventory,
          '--pwned-passwords',
          'examples/pwned-passwords.txt',
          '--state',
          join(dir, 'state.json'),
          '--now',
          now,
          '--format',
          'asff',
          '--aws-account-id',
          '111122223333',
          '--region',
          'eu-west-2',
        ]);
      const batchesOf = (stdout: string) =>
        stdout
          .trimEnd()
          .split('\n')
          .map(
            (line) =>
              (JSON.parse(line) as { Findings: { Id: string; RecordState: string; CreatedAt: string }[] }).Findings,
          );

      const first = batchesOf((await scan('2026-11-24')).stdout);
      writeFileSync(
        inventory,
        JSON.stringify(
          accounts.map((account, index) =>
            index === 0 ? { ...account, password: randomPassword(), passwordChangedAt: '2026-11-20' } : account,
          ),
        ),
      );
      const second = batchesOf((await scan('2026-11-25')).stdout);

      expect(first.map((batch) => batch.length)).toEqual([100, 30]);
      expect(second.map((batch) => batch.length)).toEqual([100, 30]);
      const archived = second.flat().filter((finding) => finding.RecordState === 'ARCHIVED');
      expect(archived.map((finding) => finding.Id)).toEqual([
        'credential-hygiene/cli/estate/login-000#password-age:too-old',
      ]);
      for (const finding of second.flat()) {
        expect(finding.CreatedAt).toBe('2026-11-24T00:00:00.000Z');
        expect(asffSchema.safeParse(finding).error?.issues ?? []).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 without the account and region the findings are for, naming both', async () => {
    const run = await runCli(['scan', ...EXAMPLE, '--format', 'asff', '--region', 'London']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--aws-account-id: --format asff needs the 12-digit AWS account');
    expect(run.stderr).toContain('--region: --format asff needs the region');
    expect(run.stdout).toBe('');
  });
});
