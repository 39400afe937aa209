import {
  BatchGetSecretValueCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { buildEvidenceSources } from '../../lambdas/adapters/evidence-sources/clients';
import 'aws-sdk-client-mock-jest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handler as breachExposure } from '../../lambdas/breach-exposure/handler';
import { breachedPasswordCheck } from '../../lambdas/core/checks/breached-password';
import { mfaCheck } from '../../lambdas/core/checks/mfa';
import { passwordAgeCheck } from '../../lambdas/core/checks/password-age';
import { reusedPasswordCheck } from '../../lambdas/core/checks/reused-password';
import { weakPasswordCheck } from '../../lambdas/core/checks/weak-password';
import { handler as mfaStatus } from '../../lambdas/mfa-status/handler';
import { handler as passwordAge } from '../../lambdas/password-age/handler';
import { checkRunHandler } from '../../lambdas/shared/check-run-handler';
import { FUNCTION_SPECS } from '../../lambdas/shared/function-specs';
import { awsError } from '../support/aws-errors';
import { serveTable } from '../support/in-memory-dynamodb';
import { LocalHttpServer } from '../support/local-http-server';
import { type FakeSecret, serveSecrets } from '../support/monitored-secrets';
import { randomPassword, rangeBody, sha1Hex } from '../support/passwords';

const secretsManager = mockClient(SecretsManagerClient);
const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-2:111122223333:credential-hygiene-findings';
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {}, time: '2026-06-01T06:00:00Z' };
const tags = (platform: string, owner?: string) => ({
  'credential-hygiene:platform': platform,
  ...(owner !== undefined && { 'credential-hygiene:owner': owner }),
});

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
const breachedPassword = randomPassword();
const sharedPassword = randomPassword();
const SECRETS: FakeSecret[] = [
  {
    name: 'press-office/x',
    tags: { ...tags('x.com', 'press-office'), 'credential-hygiene:mfa': 'disabled' },
    value: JSON.stringify({ username: 'NorthshirePolice', password: breachedPassword }),
    createdAt: daysAgo(2000),
  },
  {
    name: 'press-office/mailbox',
    tags: tags('outlook.com', 'press-office'),
    value: sharedPassword,
    createdAt: daysAgo(30),
  },
  {
    name: 'digital/instagram',
    tags: tags('instagram.com', 'digital-team'),
    value: JSON.stringify({ password: sharedPassword, totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }),
    createdAt: daysAgo(30),
  },
  {
    name: 'nobody/linkedin',
    tags: tags('linkedin.com'),
    value: JSON.stringify({ password: randomPassword() }),
    createdAt: daysAgo(30),
  },
];

describe('Handlers: the three scheduled functions', () => {
  let rangeServer: LocalHttpServer;
  /** Everything the functions wrote to stdout and stderr: logs and EMF metrics. */
  let stdout: string[];
  let restoreStdout: () => void;

  beforeAll(async () => {
    const hash = sha1Hex(breachedPassword);
    rangeServer = await LocalHttpServer.start((request, response) => {
      response.end(rangeBody(request.url?.endsWith(hash.slice(0, 5)) ? [[hash.slice(5), 4242]] : [], 10));
    });
    process.env.FINDINGS_TOPIC_ARN = TOPIC;
    process.env.EVIDENCE_SOURCES = JSON.stringify({ pwnedPasswordsUrl: rangeServer.url });
    process.env.AWS_REGION = 'eu-west-2';
  });
  afterAll(async () => {
    await rangeServer.stop();
  });
  beforeEach(() => {
    secretsManager.reset();
    sns.reset();
    serveSecrets(secretsManager, SECRETS);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    stdout = [];
    const capture = (chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    };
    const spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(capture),
      jest.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    restoreStdout = () => {
      for (const spy of spies) spy.mockRestore();
    };
  });
  afterEach(() => restoreStdout());

  const published = () =>
    sns.commandCalls(PublishCommand).map((call) => {
      const input = call.args[0].input;
      return {
        owner: input.MessageAttributes?.owner?.StringValue,
        severity: input.MessageAttributes?.severity?.StringValue,
      };
    });

  it('password-age: on schedule, checks every secret from metadata, notifies each owner, emits the heartbeat', async () => {
    const report = await passwordAge(SCHEDULED);

    expect(report.summary.accounts).toBe(4);
    expect(report.findings.map((found) => found.id)).toEqual([
      'press-office/x#password-age:too-old',
      'nobody/linkedin#ownership:missing-owner',
    ]);
    expect(report.delivery).toEqual({ dryRun: false, messages: 2, owners: 2 });
    expect(published()).toEqual([
      { owner: 'press-office', severity: 'high' },
      { owner: 'unowned', severity: 'medium' },
    ]);
    expect(secretsManager).toHaveReceivedCommandTimes(BatchGetSecretValueCommand, 0);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
    const emf = stdout.filter((line) => line.includes('"_aws"')).join('\n');
    expect(emf).toContain('"ScheduledRunSucceeded"');
    expect(emf).toMatch(/"check":"password-age","severity":"high"/);
  });

  it('breach-exposure: a manual dry run checks only the named secrets and publishes nothing', async () => {
    const report = await breachExposure({ secretIds: ['press-office/x', 'press-office/mailbox'], dryRun: true });

    expect(report.accounts.map((account) => account.id)).toEqual(['press-office/x', 'press-office/mailbox']);
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'press-office/x#breached-password:breached', evidence: { breachCount: 4242 } }),
      ]),
    );
    expect(report.delivery).toEqual({ dryRun: true, messages: 0, owners: 1 });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(stdout.join('')).not.toContain('ScheduledRunSucceeded');
  });

  it('breach-exposure: finds reuse across secrets, and sends one digest per owner', async () => {
    const report = await breachExposure({});

    expect(
      report.findings
        .filter((found) => found.check === 'reused-password')
        .map((found) => found.accountId)
        .sort(),
    ).toEqual(['digital/instagram', 'press-office/mailbox']);
    expect(
      published()
        .map((message) => message.owner)
        .sort(),
    ).toEqual(['digital-team', 'press-office']);
  });

  it('mfa-status: reads the seed from the value and the attestation from tags', async () => {
    const report = await mfaStatus({ dryRun: true });

    expect(Object.fromEntries(report.findings.map((found) => [found.accountId, found.id.split(':').at(-1)]))).toEqual({
      'press-office/x': 'disabled',
      'press-office/mailbox': 'no-evidence',
      'nobody/linkedin': 'no-evidence',
    });
  });

  it.each([
    [{ secretIds: 'press-office/x' }, /secretIds: must be a list of secret names or ARNs/],
    [{ secretIds: [] }, /secretIds: must name at least one secret/],
    [{ dryrun: true }, /dryrun: is not a known field/],
    [{ dryRun: 'yes' }, /dryRun: must be true or false/],
    ['check everything', /\(payload\): must be a JSON object/],
  ])('answers a bad payload %j with a clear error and touches nothing', async (payload, message) => {
    await expect(mfaStatus(payload)).rejects.toThrow(message);
    await expect(mfaStatus(payload)).rejects.toThrow(
      /Expected, for example: \{"secretIds": \["press-office\/x"\], "dryRun": true\}/,
    );
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('logs each invocation with the Lambda context: its request id and whether it was a cold start', async () => {
    const context = {
      functionName: 'CredentialHygiene-PasswordAge',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-2:111122223333:function:CredentialHygiene-PasswordAge',
      memoryLimitInMB: '256',
      awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      logGroupName: '/aws/lambda/CredentialHygiene-PasswordAge',
      logStreamName: '2026/06/01/[$LATEST]abc',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => 60_000,
      done: () => {},
      fail: () => {},
      succeed: () => {},
    };

    await passwordAge(SCHEDULED, context);

    const started = stdout.find((line) => line.includes('check run started')) ?? '';
    expect(JSON.parse(started)).toMatchObject({
      function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      function_name: 'CredentialHygiene-PasswordAge',
      cold_start: expect.any(Boolean),
    });
  });

  it('fails the invoke when publishing fails, without the heartbeat', async () => {
    sns.on(PublishCommand).rejects(awsError('AuthorizationErrorException'));

    await expect(passwordAge(SCHEDULED)).rejects.toThrow(/could not be published \(owners: press-office, unowned/);
    expect(stdout.join('')).not.toContain('"ScheduledRunSucceeded"');
    expect(stdout.join('')).toContain('"errorName":"FindingsPublishError"');
  });

  it('reports an unreadable secret as check-errors for that secret only', async () => {
    secretsManager.on(BatchGetSecretValueCommand).resolves({
      SecretValues: [],
      Errors: SECRETS.map((secret) => ({
        SecretId: `arn:aws:secretsmanager:eu-west-2:111122223333:secret:${secret.name}-AbCdEf`,
      })),
    });
    secretsManager.on(GetSecretValueCommand).rejects(awsError('DecryptionFailure'));

    const report = await mfaStatus({ secretIds: ['press-office/mailbox'], dryRun: true });

    expect(report.findings).toEqual([
      expect.objectContaining({ id: 'press-office/mailbox#check-error:mfa', check: 'check-error' }),
    ]);
    expect(stdout.join('')).toContain('"secret":"press-office/mailbox","reason":"KMS could not decrypt it');
  });

  it('never writes a password or seed to its logs or its response', async () => {
    const responses = [
      await breachExposure({ dryRun: true }),
      await mfaStatus({ dryRun: true }),
      await passwordAge(SCHEDULED),
    ];

    const everything = `${stdout.join('')}${JSON.stringify(responses)}${JSON.stringify(sns.calls().map((call) => call.args))}`;
    for (const secret of [
      breachedPassword,
      sharedPassword,
      'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      sha1Hex(sharedPassword),
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('with a state table, remembers findings: the second run notifies nothing new', async () => {
    const dynamo = mockClient(DynamoDBDocumentClient);
    serveTable(dynamo);
    const keyArn = 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:fingerprint-key-AbCdEf';
    secretsManager.on(GetSecretValueCommand, { SecretId: keyArn }).resolves({ SecretString: 'k'.repeat(64) });
    const saved = { ...process.env };
    process.env.STATE_TABLE_NAME = 'credential-hygiene-state';
    process.env.FINGERPRINT_KEY_SECRET_ARN = keyArn;
    try {
      const breach = checkRunHandler({
        family: 'breach-exposure',
        checks: [breachedPasswordCheck, weakPasswordCheck, reusedPasswordCheck],
        readsValues: true,
        passwords: 'record',
        sourceKinds: ['breach', 'strength'],
        buildSources: buildEvidenceSources,
      });

      const first = await breach(SCHEDULED);
      const second = await breach(SCHEDULED);

      expect(first.lifecycle.new.length).toBeGreaterThan(0);
      expect(second.lifecycle).toMatchObject({ tracked: true, new: [], reminded: [], resolved: [] });
      expect(second.delivery.messages).toBe(0);
      expect(sns).toHaveReceivedCommandTimes(PublishCommand, first.delivery.messages);
      expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: keyArn });
    } finally {
      process.env = saved;
      dynamo.restore();
    }
  });

  it('with the reads recorded (knowers.enabled), password-age names who read a password and has since left', async () => {
    const dynamo = mockClient(DynamoDBDocumentClient);
    const table = serveTable(dynamo);
    const saved = { ...process.env };
    process.env.STATE_TABLE_NAME = 'credential-hygiene-state';
    process.env.KNOWERS_ENABLED = 'true';
    const reader = (name: string) => ({
      name,
      kind: 'identity-center-user',
      arns: [`arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_P_0/${name}`],
    });
    const at = daysAgo(3).toISOString();
    table.set('READ#press-office/x|1', {
      pk: 'READ#press-office/x',
      sk: `${at}#e1`,
      secret: 'press-office/x',
      at,
      reader: reader('alice'),
    });
    table.set('READ#press-office/x|2', {
      pk: 'READ#press-office/x',
      sk: `${at}#e2`,
      secret: 'press-office/x',
      at,
      reader: reader('bob'),
    });
    try {
      // A handler of its own: the module's is wired once per container, as it was by the tests before.
      const report = await checkRunHandler(FUNCTION_SPECS.passwordAge)({ dryRun: true });
      const x = report.accounts.find((account) => account.id === 'press-office/x');

      expect(
        report.accounts.every((account) => account.checks.knowers === 'passed' || account.id === 'press-office/x'),
      ).toBe(true);
      // No leavers are known yet on AWS: who read it is counted, and nobody is said to have left.
      expect(x?.knowers).toMatchObject({ people: 2, left: [] });
      expect(x?.checks.knowers).toBe('passed');
    } finally {
      process.env = saved;
      dynamo.restore();
    }
  });

  it('with an HIBP key secret configured, checks the emails within the run budget', async () => {
    const hibp = await LocalHttpServer.start((request, response) => {
      const breached = request.url?.includes('press%40') ?? false;
      response.writeHead(breached ? 200 : 404).end(
        breached
          ? JSON.stringify([
              {
                Name: 'Fresh',
                AddedDate: new Date().toISOString(),
                DataClasses: ['Passwords'],
                IsFabricated: false,
                IsSpamList: false,
                IsRetired: false,
              },
            ])
          : '',
      );
    });
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'credential-hygiene/hibp-api-key' })
      .resolves({ SecretString: 'hibp-key-0123456789abcdef\n' });
    const saved = { ...process.env };
    process.env.EVIDENCE_SOURCES = JSON.stringify({
      pwnedPasswordsUrl: rangeServer.url,
      hibp: { apiKeySecretName: 'credential-hygiene/hibp-api-key', requestsPerMinute: 6000, apiUrl: hibp.url },
    });
    try {
      const breach = checkRunHandler({
        family: 'breach-exposure',
        checks: [breachedPasswordCheck],
        readsValues: true,
        passwords: 'record',
        sourceKinds: ['breach', 'identity'],
        buildSources: buildEvidenceSources,
      });
      const secretWithEmail = {
        ...SECRETS[0],
        value: JSON.stringify({ email: 'press@northshire-police.example', password: 'x-y-z-long-password' }),
      };
      serveSecrets(secretsManager, [secretWithEmail as (typeof SECRETS)[number]]);
      secretsManager
        .on(GetSecretValueCommand, { SecretId: 'credential-hygiene/hibp-api-key' })
        .resolves({ SecretString: 'hibp-key-0123456789abcdef\n' });

      const report = await breach({ dryRun: true });

      expect(report.findings.map((found) => found.id)).toContain('press-office/x#breached-identity:since-last-change');
      expect(report.identityCoverage).toMatchObject({ identities: 1, lookedUp: 1 });
      expect(hibp.requests[0]?.headers['hibp-api-key']).toBe('hibp-key-0123456789abcdef');
      expect(stdout.join('')).not.toContain('hibp-key-0123456789abcdef');
    } finally {
      process.env = saved;
      await hibp.stop();
    }
  });

  it('imports into Security Hub after telling the owners, and goes on when Security Hub is off, saying so', async () => {
    const securityHub = mockClient(SecurityHubClient);
    process.env.SECURITY_HUB_PRODUCT_ARN = 'arn:aws:securityhub:eu-west-2:111122223333:product/111122223333/default';
    try {
      const handler = () =>
        checkRunHandler({ family: 'password-age', checks: [passwordAgeCheck], readsValues: false, passwords: 'none' });
      securityHub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });

      const imported = await handler()(SCHEDULED);

      const [call] = securityHub.commandCalls(BatchImportFindingsCommand);
      expect(call?.args[0].input.Findings?.map((finding) => [finding.Id, finding.AwsAccountId])).toEqual([
        ['credential-hygiene/password-age/press-office/x#password-age:too-old', '111122223333'],
      ]);
      expect(imported.delivery.messages).toBe(1);

      securityHub
        .on(BatchImportFindingsCommand)
        .rejects(awsError('InvalidAccessException', 'Account 111122223333 is not subscribed to AWS Security Hub'));
      stdout.length = 0;
      const off = await handler()(SCHEDULED);

      expect(off.delivery.messages).toBe(1);
      expect(published()).toHaveLength(2);
      const logs = stdout.join('\n');
      expect(logs).toContain('"message":"AWS Security Hub delivery failed"');
      expect(logs).toContain('Security Hub is not enabled in account 111122223333, region eu-west-2');
      expect(logs).toMatch(/"SecurityHubImportProblems"/);
    } finally {
      delete process.env.SECURITY_HUB_PRODUCT_ARN;
      securityHub.restore();
    }
  });

  it('fails with the variable named when the function is misconfigured', async () => {
    const saved = process.env.FINDINGS_TOPIC_ARN;
    process.env.FINDINGS_TOPIC_ARN = 'not-an-arn';
    try {
      const misconfigured = checkRunHandler({
        family: 'mfa-status',
        checks: [mfaCheck],
        readsValues: true,
        passwords: 'none',
      });

      await expect(misconfigured(SCHEDULED)).rejects.toThrow(
        'environment: FINDINGS_TOPIC_ARN: must be an SNS topic ARN',
      );
    } finally {
      process.env.FINDINGS_TOPIC_ARN = saved;
    }
  });
});
