import { asffSchema } from '../support/asff-schema';
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
    const findings = JSON.parse(asff.stdout) as {
      Id: string;
      ProductArn: string;
      AwsAccountId: string;
      Types: string[];
    }[];
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
  });

  it('exits 2 without the account and region the findings are for, naming both', async () => {
    const run = await runCli(['scan', ...EXAMPLE, '--format', 'asff', '--region', 'London']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--aws-account-id: --format asff needs the 12-digit AWS account');
    expect(run.stderr).toContain('--region: --format asff needs the region');
    expect(run.stdout).toBe('');
  });
});
