import type { Report } from '../../lambdas/core/report/report';
import { FakeAws } from '../support/fake-aws';
import type { FakeSecret } from '../support/monitored-secrets';
import { randomPassword } from '../support/passwords';
import { runCli } from '../support/run-cli';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

describe('CLI: credential-hygiene scan --source aws', () => {
  const shared = randomPassword();
  const secrets: FakeSecret[] = [
    {
      name: 'press-office/x',
      tags: { 'shared-login:platform': 'x.com', 'shared-login:owner': 'press-office', 'shared-login:mfa': 'disabled' },
      value: JSON.stringify({ username: 'NorthshirePolice', password: shared }),
      createdAt: daysAgo(400),
    },
    {
      name: 'press-office/mailbox',
      tags: { 'shared-login:platform': 'outlook.com' },
      value: shared,
      createdAt: daysAgo(10),
    },
  ];
  let aws: FakeAws;
  beforeAll(async () => {
    aws = await FakeAws.start(secrets);
  });
  afterAll(() => aws.stop());

  it('scans the tagged secrets read-only, with every check', async () => {
    const run = await runCli(
      [
        'scan',
        '--source',
        'aws',
        '--tag-key',
        'shared-login:platform',
        '--pwned-passwords',
        'examples/pwned-passwords.txt',
        '--format',
        'json',
      ],
      undefined,
      aws.environment,
    );

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.accounts.map((account) => [account.id, account.owner])).toEqual([
      ['press-office/x', 'press-office'],
      ['press-office/mailbox', null],
    ]);
    expect(report.findings.map((found) => found.id)).toEqual(
      expect.arrayContaining([
        'press-office/x#mfa:disabled',
        'press-office/x#reused-password:reused',
        'press-office/mailbox#reused-password:reused',
        'press-office/x#password-age:too-old',
        'press-office/mailbox#ownership:missing-owner',
      ]),
    );
    const operations = new Set(aws.calls.map((call) => call.operation));
    expect([...operations].sort()).toEqual(['SecretsManager.BatchGetSecretValue', 'SecretsManager.ListSecrets']);
    expect(aws.calls[0]?.input).toMatchObject({ Filters: [{ Key: 'tag-key', Values: ['shared-login:platform'] }] });
    expect(`${run.stdout}${run.stderr}`).not.toContain(shared);
  });

  it('says plainly when there are no AWS credentials', async () => {
    const run = await runCli(['scan', '--source', 'aws'], undefined, {
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: 'credential-hygiene-test-profile-that-does-not-exist',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:1',
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^credential-hygiene: cannot list secrets in AWS Secrets Manager: no AWS credentials found/m,
    );
  });
});
