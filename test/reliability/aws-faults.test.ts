import {
  BatchGetSecretValueCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { mfaCheck } from '../../lambdas/core/checks/mfa';
import { checkRunHandler } from '../../lambdas/shared/check-run-handler';
import { awsError } from '../support/aws-errors';
import { FakeAws } from '../support/fake-aws';
import { serveTable } from '../support/in-memory-dynamodb';
import { type FakeSecret, secretArn, serveSecrets } from '../support/monitored-secrets';
import { randomPassword } from '../support/passwords';
import { runCli } from '../support/run-cli';
import { expectEveryAccountAccounted } from '../support/scan-invariants';

const secretsManager = mockClient(SecretsManagerClient);
const sns = mockClient(SNSClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event' };
const secret = (name: string): FakeSecret => ({
  name,
  tags: { 'credential-hygiene:platform': 'x.com', 'credential-hygiene:owner': 'press' },
  value: JSON.stringify({ password: randomPassword() }),
  createdAt: new Date(Date.now() - 10 * 86_400_000),
});
const SECRETS = ['ok/one', 'ok/two', 'denied', 'kms', 'deleted'].map(secret);
const NAMES = SECRETS.map((each) => each.name);

describe('Reliability: AWS faults end as a retry, a finding on that secret, or a failed invoke; never silence', () => {
  const saved = { ...process.env };
  let handler: ReturnType<typeof checkRunHandler>;
  beforeAll(() => {
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-2',
      FINDINGS_TOPIC_ARN: 'arn:aws:sns:eu-west-2:111122223333:findings',
      STATE_TABLE_NAME: 'state',
    });
    handler = checkRunHandler({ family: 'mfa-status', checks: [mfaCheck], readsValues: true, passwords: 'none' });
  });
  afterAll(() => {
    process.env = saved;
  });
  beforeEach(() => {
    for (const mock of [secretsManager, sns, dynamo]) mock.reset();
    serveSecrets(secretsManager, SECRETS);
    serveTable(dynamo);
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());

  it('turns throttled batches, access denied, KMS failures and a secret deleted mid-scan into findings on those secrets', async () => {
    secretsManager.on(BatchGetSecretValueCommand).rejects(awsError('ThrottlingException'));
    secretsManager
      .on(GetSecretValueCommand, { SecretId: secretArn('denied') })
      .rejects(awsError('AccessDeniedException'));
    secretsManager.on(GetSecretValueCommand, { SecretId: secretArn('kms') }).rejects(awsError('DecryptionFailure'));
    secretsManager
      .on(GetSecretValueCommand, { SecretId: secretArn('deleted') })
      .rejects(awsError('ResourceNotFoundException'));

    const report = await handler(SCHEDULED);

    expectEveryAccountAccounted(report, NAMES, [mfaCheck]);
    expect(
      report.findings
        .filter((found) => found.check === 'check-error')
        .map((found) => found.accountId)
        .sort(),
    ).toEqual(['deleted', 'denied', 'kms']);
    expect(
      report.accounts.filter((account) => account.id.startsWith('ok/')).map((account) => account.checks.mfa),
    ).toEqual(['failed', 'failed']);
  });

  it('fails the invoke when the secrets cannot be listed, publishing and saving nothing', async () => {
    secretsManager.on(ListSecretsCommand).rejects(awsError('ThrottlingException'));

    await expect(handler(SCHEDULED)).rejects.toThrow();
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 0);
  });

  it('fails the invoke on a KMS error at publish, and does not advance the lifecycle, so the next run resends', async () => {
    sns.on(PublishCommand).rejects(awsError('KMSAccessDeniedException'));

    await expect(handler(SCHEDULED)).rejects.toThrow(
      /could not be published \(owners: press; KMSAccessDeniedException\)/,
    );
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 0);

    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const next = await handler(SCHEDULED);
    expect(next.lifecycle.new.length).toBe(next.findings.length);
    expect(next.delivery.messages).toBe(1);
  });
});

describe('Reliability: the real SDK retries a throttled Secrets Manager', () => {
  it('lists through two ThrottlingException answers and completes the scan', async () => {
    const aws = await FakeAws.start(SECRETS.slice(0, 2));
    try {
      aws.faults.set('ListSecrets', ['ThrottlingException', 'ThrottlingException']);
      aws.faults.set('BatchGetSecretValue', ['ThrottlingException']);

      const run = await runCli(
        ['scan', '--source', 'aws', '--pwned-passwords', 'examples/pwned-passwords.txt', '--format', 'json'],
        undefined,
        aws.environment,
      );

      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).summary.accounts).toBe(2);
      expect(aws.calls.filter((call) => call.operation === 'SecretsManager.ListSecrets')).toHaveLength(3);
    } finally {
      await aws.stop();
    }
  });
});
