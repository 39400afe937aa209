import {
  BatchGetSecretValueCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  type SecretListEntry,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SecretsManagerInventory } from '../../lambdas/adapters/secrets-manager-inventory';
import { tagKeysFor } from '../../lambdas/adapters/secrets-manager-tags';
import { awsError } from '../support/aws-errors';

const secretsManager = mockClient(SecretsManagerClient);
const CREATED = new Date('2026-03-01T00:00:00Z');

function aSecret(
  name: string,
  tags: Record<string, string> = {},
  extra: Partial<SecretListEntry> = {},
): SecretListEntry {
  return {
    ARN: `arn:aws:secretsmanager:eu-west-2:111122223333:secret:${name}-AbCdEf`,
    Name: name,
    LastChangedDate: new Date('2026-01-01T00:00:00Z'),
    CreatedDate: new Date('2025-01-01T00:00:00Z'),
    Tags: Object.entries({ 'credential-hygiene:platform': 'x.com', 'credential-hygiene:owner': 'press', ...tags }).map(
      ([Key, Value]) => ({ Key, Value }),
    ),
    ...extra,
  };
}

function serveValues(values: Record<string, string>) {
  secretsManager.on(BatchGetSecretValueCommand).callsFake((input: { SecretIdList: string[] }) => ({
    SecretValues: input.SecretIdList.filter((arn) => values[arn] !== undefined).map((arn) => ({
      ARN: arn,
      SecretString: values[arn],
      CreatedDate: CREATED,
    })),
    Errors: [],
  }));
}

const reader = (options: Partial<ConstructorParameters<typeof SecretsManagerInventory>[0]> = {}) =>
  new SecretsManagerInventory({ client: new SecretsManagerClient({}), readValues: true, ...options });

describe('Class: SecretsManagerInventory', () => {
  beforeEach(() => secretsManager.reset());

  describe('Method: load', () => {
    it('lists every page of secrets carrying the tag, including ones planned for deletion', async () => {
      secretsManager
        .on(ListSecretsCommand)
        .resolvesOnce({ SecretList: [aSecret('a')], NextToken: 'page-2' })
        .resolvesOnce({ SecretList: [aSecret('b')] });
      serveValues({});

      const entries = await reader({ readValues: false }).load();

      expect(entries.map((entry) => entry.ref)).toEqual(['a', 'b']);
      expect(secretsManager).toHaveReceivedCommandTimes(ListSecretsCommand, 2);
      expect(secretsManager).toHaveReceivedNthSpecificCommandWith(1, ListSecretsCommand, {
        Filters: [{ Key: 'tag-key', Values: ['credential-hygiene:platform'] }],
        IncludePlannedDeletion: true,
        MaxResults: 100,
      });
      expect(secretsManager).toHaveReceivedNthSpecificCommandWith(2, ListSecretsCommand, { NextToken: 'page-2' });
    });

    it('keeps only exact tag matches (the tag-key filter matches prefixes)', async () => {
      const lookalike = { ...aSecret('other'), Tags: [{ Key: 'credential-hygiene:platform-old', Value: 'x.com' }] };
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [aSecret('a'), lookalike] });

      expect((await reader({ readValues: false }).load()).map((entry) => entry.ref)).toEqual(['a']);
    });

    it('composes tags and a JSON value into account fields, tags winning', async () => {
      const secret = aSecret('press/x', {
        'credential-hygiene:mfa': 'enabled',
        'credential-hygiene:mfa-attested-at': '2026-02-01',
        'credential-hygiene:mfa-methods': 'sms totp',
        'credential-hygiene:mfa-provider': 'google-workspace',
      });
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [secret] });
      serveValues({
        [secret.ARN as string]: JSON.stringify({
          username: 'police',
          password: 'pw-1',
          totp: 'JBSWY3DP',
          owner: 'ignored',
        }),
      });

      const [entry] = await reader().load();

      expect(entry).toMatchObject({
        ref: 'press/x',
        value: {
          id: 'press/x',
          platform: 'x.com',
          owner: 'press',
          username: 'police',
          password: 'pw-1',
          totp: 'JBSWY3DP',
          mfa: { status: 'enabled', attestedAt: '2026-02-01', methods: ['sms', 'totp'] },
          mfaProvider: 'google-workspace',
        },
        facts: { passwordChangedAt: CREATED, rotation: { enabled: false } },
        fieldSources: {
          platform: 'tag credential-hygiene:platform',
          'mfa.status': 'tag credential-hygiene:mfa',
          'mfa.methods': 'tag credential-hygiene:mfa-methods',
          mfaProvider: 'tag credential-hygiene:mfa-provider',
        },
      });
      expect(entry?.valueUnavailable).toBeUndefined();
    });

    it('takes a plain-string value as the password', async () => {
      const secret = aSecret('plain');
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [secret] });
      serveValues({ [secret.ARN as string]: 'correct horse' });

      expect((await reader().load())[0]?.value).toMatchObject({ password: 'correct horse' });
    });

    it('reads values in batches of at most 20', async () => {
      const secrets = Array.from({ length: 45 }, (_, index) => aSecret(`s${index}`));
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: secrets });
      serveValues(Object.fromEntries(secrets.map((secret) => [secret.ARN, 'pw'])));

      await reader().load();

      const batches = secretsManager
        .commandCalls(BatchGetSecretValueCommand)
        .map((call) => call.args[0].input.SecretIdList?.length);
      expect(batches).toEqual([20, 20, 5]);
      expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
    });

    it('reads the secrets a batch reports as errors one by one, and says why one still fails', async () => {
      const [ok, retried, denied] = [aSecret('ok'), aSecret('retried'), aSecret('denied')];
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [ok, retried, denied] });
      secretsManager.on(BatchGetSecretValueCommand).resolves({
        SecretValues: [{ ARN: ok.ARN, SecretString: 'pw-ok', CreatedDate: CREATED }],
        Errors: [
          { SecretId: retried.ARN, ErrorCode: 'InternalServiceError', Message: 'try again' },
          { SecretId: denied.ARN, ErrorCode: 'AccessDeniedException', Message: 'denied' },
        ],
      });
      secretsManager
        .on(GetSecretValueCommand, { SecretId: retried.ARN })
        .resolves({ ARN: retried.ARN, SecretString: 'pw-2' });
      secretsManager.on(GetSecretValueCommand, { SecretId: denied.ARN }).rejects(awsError('AccessDeniedException'));
      const errors: string[] = [];

      const entries = await reader({ onSecretError: (secret, reason) => errors.push(`${secret}: ${reason}`) }).load();

      expect(entries.map((entry) => [entry.ref, entry.valueUnavailable])).toEqual([
        ['ok', undefined],
        ['retried', undefined],
        ['denied', expect.stringMatching(/^access denied \(the role needs secretsmanager:GetSecretValue/)],
      ]);
      expect(entries[1]?.value).toMatchObject({ password: 'pw-2' });
      expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
      expect(errors).toEqual([expect.stringMatching(/^denied: access denied/)]);
    });

    it('falls back to single reads when a whole batch fails, and names a KMS failure', async () => {
      const [a, b] = [aSecret('a'), aSecret('b')];
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [a, b] });
      secretsManager.on(BatchGetSecretValueCommand).rejects(awsError('ThrottlingException'));
      secretsManager.on(GetSecretValueCommand, { SecretId: a.ARN }).resolves({ ARN: a.ARN, SecretString: 'pw' });
      secretsManager.on(GetSecretValueCommand, { SecretId: b.ARN }).rejects(awsError('DecryptionFailure'));

      const entries = await reader().load();

      expect(entries.map((entry) => entry.valueUnavailable)).toEqual([
        undefined,
        "KMS could not decrypt it (the role needs kms:Decrypt on the secret's key)",
      ]);
    });

    it('says a secret deleted mid-scan no longer exists', async () => {
      const gone = aSecret('gone');
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [gone] });
      secretsManager.on(BatchGetSecretValueCommand).resolves({ SecretValues: [], Errors: [] });
      secretsManager.on(GetSecretValueCommand).rejects(awsError('ResourceNotFoundException'));

      expect((await reader().load())[0]?.valueUnavailable).toBe(
        'the secret no longer exists (deleted during the scan?)',
      );
    });

    it('does not read a secret scheduled for deletion, and records the date', async () => {
      const deletedDate = new Date('2026-07-01T00:00:00Z');
      secretsManager
        .on(ListSecretsCommand)
        .resolves({ SecretList: [aSecret('old', {}, { DeletedDate: deletedDate })] });

      const [entry] = await reader().load();

      expect(entry).toMatchObject({
        valueUnavailable: 'the secret is scheduled for deletion',
        facts: { deletionScheduledAt: deletedDate },
      });
      expect(secretsManager).toHaveReceivedCommandTimes(BatchGetSecretValueCommand, 0);
    });

    it('reports a value that starts like JSON but is not, without quoting it', async () => {
      const secret = aSecret('broken');
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [secret] });
      serveValues({ [secret.ARN as string]: '{"password": "pw-secret"' });

      const [entry] = await reader().load();

      expect(entry?.problems).toEqual([
        'secret value: starts with "{" but is not a JSON object (a plain password must not)',
      ]);
    });

    it('reports a binary secret as unreadable', async () => {
      const secret = aSecret('binary');
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [secret] });
      secretsManager.on(BatchGetSecretValueCommand).resolves({
        SecretValues: [{ ARN: secret.ARN, SecretBinary: new Uint8Array([1, 2]) }],
      });

      expect((await reader().load())[0]?.valueUnavailable).toMatch(/binary/);
    });

    it('without values, dates the password by its AWSCURRENT version and never reads a value', async () => {
      const [a, b] = [aSecret('a'), aSecret('b')];
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [a, b] });
      secretsManager.on(ListSecretVersionIdsCommand, { SecretId: a.ARN }).resolves({
        Versions: [
          { VersionId: 'v1', VersionStages: ['AWSPREVIOUS'], CreatedDate: new Date('2025-01-01T00:00:00Z') },
          { VersionId: 'v2', VersionStages: ['AWSCURRENT'], CreatedDate: new Date('2026-04-01T00:00:00Z') },
        ],
      });
      secretsManager.on(ListSecretVersionIdsCommand, { SecretId: b.ARN }).rejects(awsError('AccessDeniedException'));

      const entries = await reader({ readValues: false }).load();

      expect(entries.map((entry) => entry.facts?.passwordChangedAt)).toEqual([
        new Date('2026-04-01T00:00:00Z'),
        new Date('2026-01-01T00:00:00Z'),
      ]);
      expect(entries[0]?.valueUnavailable).toBe('this function does not read secret values');
      expect(secretsManager).toHaveReceivedCommandTimes(BatchGetSecretValueCommand, 0);
      expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
    });

    it('asks for version dates with no more calls in flight than its concurrency', async () => {
      const secrets = Array.from({ length: 30 }, (_, index) => aSecret(`login-${index}`));
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: secrets });
      let inFlight = 0;
      let most = 0;
      secretsManager.on(ListSecretVersionIdsCommand).callsFake(async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return { Versions: [{ VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: CREATED }] };
      });

      const entries = await reader({ readValues: false, concurrency: 3 }).load();

      expect(most).toBe(3);
      expect(entries.map((entry) => entry.facts?.passwordChangedAt)).toEqual(secrets.map(() => CREATED));
      expect(() => reader({ concurrency: 0 })).toThrow(RangeError);
    });

    it('records rotation facts from the rotation rules', async () => {
      const rotating = aSecret(
        'r',
        {},
        {
          RotationEnabled: true,
          RotationRules: { ScheduleExpression: 'rate(10 days)' },
          LastRotatedDate: new Date('2026-05-01T00:00:00Z'),
        },
      );
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [rotating] });

      const [entry] = await reader({ readValues: false }).load();

      expect(entry?.facts?.rotation).toMatchObject({
        enabled: true,
        intervalDays: 10,
        lastRotatedAt: new Date('2026-05-01T00:00:00Z'),
      });
    });

    it('loads only the secrets asked for, by name or ARN, and reports ids it cannot find', async () => {
      const [a, b, c] = [aSecret('a'), aSecret('b'), aSecret('c')];
      secretsManager.on(ListSecretsCommand).resolves({ SecretList: [a, b, c] });
      serveValues({ [a.ARN as string]: 'pw', [c.ARN as string]: 'pw' });

      const entries = await reader().load(['a', c.ARN as string, 'press-office/missing']);

      expect(entries.map((entry) => entry.ref)).toEqual(['a', 'c', 'press-office/missing']);
      expect(entries[2]?.problems).toEqual([
        'id: no monitored secret has this name or ARN (is it tagged credential-hygiene:platform?)',
      ]);
      expect(secretsManager.commandCalls(BatchGetSecretValueCommand)[0]?.args[0].input.SecretIdList).toEqual([
        a.ARN,
        c.ARN,
      ]);
    });
  });

  it('reads N secrets with at most ceil(N/20) BatchGetSecretValue calls plus the ListSecrets pages', async () => {
    const secrets = Array.from({ length: 1_234 }, (_, index) => aSecret(`estate/login-${index}`));
    const pages = Math.ceil(secrets.length / 100);
    for (let page = 0; page < pages; page++) {
      const slice = secrets.slice(page * 100, (page + 1) * 100);
      secretsManager
        .on(ListSecretsCommand, page === 0 ? { NextToken: undefined } : { NextToken: `page-${page}` })
        .resolves({ SecretList: slice, ...(page < pages - 1 && { NextToken: `page-${page + 1}` }) });
    }
    serveValues(Object.fromEntries(secrets.map((secret) => [secret.ARN, 'pw'])));

    const entries = await reader().load();

    expect(entries).toHaveLength(1_234);
    expect(secretsManager).toHaveReceivedCommandTimes(ListSecretsCommand, pages);
    expect(secretsManager).toHaveReceivedCommandTimes(BatchGetSecretValueCommand, Math.ceil(1_234 / 20));
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it('gives advice in the tag keys it reads: the owner tag under the configured prefix, and the CLI verbs', () => {
    const inventory = new SecretsManagerInventory({
      client: new SecretsManagerClient({ region: 'eu-west-2' }),
      tagKey: 'shared-login:platform',
      readValues: false,
    });

    expect(inventory.terms.field('owner')).toBe("the secret's shared-login:owner tag");
    expect(inventory.terms.rotateNow).toContain('aws secretsmanager rotate-secret');
  });

  it('derives the sibling tags from the selector tag', () => {
    expect(tagKeysFor('shared-login:platform')).toEqual({
      platform: 'shared-login:platform',
      owner: 'shared-login:owner',
      mfa: 'shared-login:mfa',
      mfaAttestedAt: 'shared-login:mfa-attested-at',
      mfaMethods: 'shared-login:mfa-methods',
      mfaProvider: 'shared-login:mfa-provider',
      recoveryEmail: 'shared-login:recovery-email',
      recoveryPhone: 'shared-login:recovery-phone',
      passwordChanged: 'shared-login:password-changed',
      rotationPending: 'shared-login:rotation-pending',
    });
  });
});
