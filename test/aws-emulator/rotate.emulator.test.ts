import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { SecretsManagerRotation } from '../../lambdas/adapters/secrets-manager-rotation';
import type { Report } from '../../lambdas/core/report/report';
import { EXPORTS_DIR, FIXTURE_SECRETS } from '../support/export-fixtures';
import { type CliRun, runCliProcess } from '../support/run-cli';
import { ACCOUNT_ID } from './emulated-stack';
import { evaluate } from './iam-evaluation';
import { MotoServer, type RecordedRequest } from './moto-server';
import { evaluatePersonCalls, personAccessPolicy } from './person-access';

const REGION = 'eu-west-2';
const DAY_MS = 86_400_000;
const X = 'press-office/x';
const MAILBOX = 'press-office/mailbox';

describe('rotate on an AWS emulator (moto): a password changed with its owner, step by step', () => {
  let moto: MotoServer;
  let env: Record<string, string>;
  let dir: string;
  let client: SecretsManagerClient;
  const outputs: CliRun[] = [];
  /** What the person's rotate commands sent, to evaluate against the person policy the stack outputs. */
  const personCalls: RecordedRequest[] = [];
  const cli = async (args: string[]) => {
    const recorded = await moto.recording(() => runCliProcess(args, undefined, env));
    if (args[0] === 'rotate' || args[0] === 'import') personCalls.push(...recorded.requests);
    outputs.push(recorded.value);
    return recorded.value;
  };
  const scan = async (extra: string[] = []) => {
    const run = await cli([
      'scan',
      '--source',
      'aws',
      '--pwned-passwords',
      'examples/pwned-passwords.txt',
      '--state',
      join(dir, 'state.json'),
      '--format',
      'json',
      ...extra,
    ]);
    expect(run.stderr).not.toMatch(/internal error/);
    return JSON.parse(run.stdout) as Report;
  };
  const versions = async (secret: string) =>
    (await client.send(new ListSecretVersionIdsCommand({ SecretId: secret }))).Versions ?? [];
  const currentPassword = async (secret: string) =>
    JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: secret }))).SecretString ?? '{}').password;
  const findingsOf = (report: Report, account: string) =>
    report.findings.filter((finding) => finding.accountId === account).map((finding) => finding.id.split('#')[1]);

  beforeAll(async () => {
    moto = await MotoServer.start();
    env = moto.cliEnvironment;
    client = new SecretsManagerClient({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    dir = mkdtempSync(join(tmpdir(), 'rotate-emulator-'));
    const imported = await cli(['import', '--from', 'inventory', join(EXPORTS_DIR, 'inventory.json'), '--apply']);
    expect(imported.code).toBe(0);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await moto.stop();
  });

  it('start stores a new password as pending, tells the owner where and how, and the scan still checks the current one', async () => {
    const before = await scan();
    expect(findingsOf(before, X)).toEqual(
      expect.arrayContaining(['breached-password:breached', 'password-age:too-old']),
    );

    const started = await cli(['rotate', 'start', X]);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain("is stored as the secret's pending version");
    expect(started.stdout).toContain(`--secret-id ${X} --version-stage AWSPENDING`);
    expect(started.stdout).toContain('https://x.com/settings/password');
    const pending = (await versions(X)).filter((version) => version.VersionStages?.includes('AWSPENDING'));
    expect(pending).toHaveLength(1);
    const pendingValue = await client.send(new GetSecretValueCommand({ SecretId: X, VersionStage: 'AWSPENDING' }));
    const generated = JSON.parse(pendingValue.SecretString ?? '{}');
    expect(generated.password).toHaveLength(24);
    expect(generated.username).toBe('NorthshirePolice');
    expect(started.stdout).not.toContain(generated.password);

    const again = await cli(['rotate', 'start', X]);
    expect(again.stdout).toContain('is already pending');
    const stillPending = (await versions(X)).filter((version) => version.VersionStages?.includes('AWSPENDING'));
    expect(stillPending.map((version) => version.VersionId)).toEqual(pending.map((version) => version.VersionId));

    const during = await scan();
    expect(findingsOf(during, X)).toContain('breached-password:breached');
    expect(findingsOf(during, X)).not.toContain('rotation:pending-stuck');
  });

  it('confirm makes it current: its age starts at the confirmation, and the breached password is reported fixed', async () => {
    const confirmed = await cli(['rotate', 'confirm', X]);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toMatch(/now the current one, changed \d{4}-\d\d-\d\dT/);
    expect((await versions(X)).some((version) => version.VersionStages?.includes('AWSPENDING'))).toBe(false);
    expect(await currentPassword(X)).toHaveLength(24);

    const after = await scan();
    expect(findingsOf(after, X).filter((id) => /breached-password|password-age/.test(id ?? ''))).toEqual([]);
    expect(after.lifecycle.resolved).toEqual(
      expect.arrayContaining([`${X}#breached-password:breached`, `${X}#password-age:too-old`]),
    );

    const twice = await cli(['rotate', 'confirm', X]);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toContain('no change of password is pending');
  });

  it('a change started and left for 8 days is rotation:pending-stuck; abort takes it back and the current password stays', async () => {
    const before = await currentPassword(MAILBOX);
    expect((await cli(['rotate', 'start', MAILBOX])).code).toBe(0);
    const later = new Date(Date.now() + 8 * DAY_MS).toISOString();
    const stuck = await scan(['--now', later]);
    expect(stuck.findings.find((finding) => finding.id === `${MAILBOX}#rotation:pending-stuck`)).toMatchObject({
      severity: 'high',
    });

    const aborted = await cli(['rotate', 'abort', MAILBOX]);
    expect(aborted.code).toBe(0);
    expect(aborted.stdout).toContain('the pending password was dropped');
    expect(await currentPassword(MAILBOX)).toBe(before);
    expect(findingsOf(await scan(['--now', later]), MAILBOX)).not.toContain('rotation:pending-stuck');
  });

  it('a step stopped between its calls leaves the secret as it was, and the same step run again finishes it', async () => {
    const BLUESKY = 'recruitment/bluesky';
    const failOnce = (command: string, nth = 1) => {
      let seen = 0;
      const failing = new SecretsManagerClient({
        region: REGION,
        endpoint: moto.endpoint,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 1,
      });
      failing.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === command && ++seen === nth) {
            throw Object.assign(new Error('cut off'), { name: 'InternalServiceError' });
          }
          return next(args);
        },
        { step: 'initialize', name: 'cutOff' },
      );
      return new SecretsManagerRotation({ client: failing });
    };
    const original = await currentPassword(BLUESKY);

    // start: the record of a pending change is written, the version is not: nothing is pending.
    await expect(
      failOnce('PutSecretValueCommand').start(BLUESKY, () => 'Generated-Pw-1', new Date()),
    ).rejects.toThrow();
    expect((await versions(BLUESKY)).some((version) => version.VersionStages?.includes('AWSPENDING'))).toBe(false);
    const later = new Date(Date.now() + 8 * DAY_MS).toISOString();
    expect(findingsOf(await scan(['--now', later]), BLUESKY)).not.toContain('rotation:pending-stuck');
    expect((await cli(['rotate', 'start', BLUESKY])).stdout).toContain("is stored as the secret's pending version");

    // confirm: the labels moved, the pending label not yet removed; the password is current, dated by the first try.
    // The record keeps whole seconds.
    const firstTry = new Date(Math.floor(Date.now() / 1000) * 1000);
    await expect(failOnce('UpdateSecretVersionStageCommand', 2).confirm(BLUESKY, firstTry)).rejects.toThrow();
    expect(await currentPassword(BLUESKY)).not.toBe(original);
    const resumed = await cli(['rotate', 'confirm', BLUESKY]);
    expect(resumed.stdout).toContain(`changed ${firstTry.toISOString()}`);
    expect((await versions(BLUESKY)).some((version) => version.VersionStages?.includes('AWSPENDING'))).toBe(false);
  });

  it('the emulator behaves as AWS where moto does not: a version is never changed, and AWSCURRENT is what is read', async () => {
    const token = '0f8e6a52-5d3c-4b1e-9a7f-2c4d6e8f0a1b';
    await client.send(new CreateSecretCommand({ Name: 'launcher/probe', SecretString: 'one' }));
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'launcher/probe',
        SecretString: 'two',
        ClientRequestToken: token,
        VersionStages: ['AWSPENDING'],
      }),
    );
    // The same token with the same value is the same request again; with another value, AWS refuses it.
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'launcher/probe',
        SecretString: 'two',
        ClientRequestToken: token,
        VersionStages: ['AWSPENDING'],
      }),
    );
    await expect(
      client.send(
        new PutSecretValueCommand({ SecretId: 'launcher/probe', SecretString: 'three', ClientRequestToken: token }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceExistsException' });
    const current = (await versions('launcher/probe')).find((version) => version.VersionStages?.includes('AWSCURRENT'));
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'launcher/probe',
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        RemoveFromVersionId: current?.VersionId,
      }),
    );
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'launcher/probe' }))).SecretString).toBe('two');
    const batch = await client.send(new BatchGetSecretValueCommand({ SecretIdList: ['launcher/probe'] }));
    expect(batch.SecretValues?.[0]?.SecretString).toBe('two');
  });

  it('refuses a secret that is not monitored, with one line', async () => {
    const run = await cli(['rotate', 'start', 'no-such-secret']);
    expect(run.code).toBe(2);
    // (Node 20 also gets the AWS SDK's own notice that it will need Node 22 from 2027.)
    expect(run.stderr.trim().split('\n').at(-1)).toBe('credential-hygiene: no-such-secret: no such secret');
  });

  it("every call of import --apply and rotate is allowed by the stack's PersonAccessPolicy, and what they must not do is not", async () => {
    const policy = personAccessPolicy();
    const decisions = await evaluatePersonCalls(personCalls, client, policy);
    expect(decisions.filter((decision) => decision.decision !== 'Allowed')).toEqual([]);
    expect(new Set(decisions.map((decision) => decision.action))).toEqual(
      new Set([
        'secretsmanager:CreateSecret',
        'secretsmanager:TagResource',
        'secretsmanager:UntagResource',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ]),
    );

    const secret = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:${name}-AbCdEf`;
    const monitored = { 'aws:ResourceTag/credential-hygiene:platform': 'x.com' };
    const refused = await evaluate(
      'person',
      [
        // A secret created without the monitoring tag, or an unmonitored one read, written or tagged.
        {
          action: 'secretsmanager:CreateSecret',
          resource: secret('untagged'),
          context: { 'aws:TagKeys': [] },
          because: 'a',
        },
        { action: 'secretsmanager:GetSecretValue', resource: secret('payroll/db'), context: {}, because: 'b' },
        { action: 'secretsmanager:PutSecretValue', resource: secret('payroll/db'), context: {}, because: 'c' },
        {
          action: 'secretsmanager:UntagResource',
          resource: secret('press-office/x'),
          context: { ...monitored, 'aws:TagKeys': ['credential-hygiene:platform'] },
          because: 'd: taking the monitoring tag off',
        },
        { action: 'secretsmanager:DeleteSecret', resource: secret('press-office/x'), context: monitored, because: 'e' },
        { action: 'secretsmanager:ListSecrets', resource: '*', context: {}, because: 'f' },
        {
          action: 'kms:Decrypt',
          resource: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
          context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
          because: 'g: a key used outside Secrets Manager',
        },
      ],
      [policy],
      new Map(),
      'PlatformTeamMember',
    );
    expect(refused.map((decision) => [decision.because, decision.decision])).toEqual(
      refused.map((decision) => [decision.because, 'ImplicitlyDenied']),
    );
  });

  it('no output of any step holds a password or a seed', () => {
    const everything = outputs.map((run) => `${run.stdout}\n${run.stderr}`).join('\n');
    for (const secret of FIXTURE_SECRETS) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/"password"/);
  });
});
