import {
  DescribeSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { RotationRefused, SecretsManagerRotation } from '../../lambdas/adapters/secrets-manager-rotation';

const TAGS = [
  { Key: 'credential-hygiene:platform', Value: 'x.com' },
  { Key: 'credential-hygiene:owner', Value: 'press-office' },
];
const secretsManager = mockClient(SecretsManagerClient);
const rotation = () => new SecretsManagerRotation({ client: new SecretsManagerClient({ region: 'eu-west-2' }) });
const refusal = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RotationRefused);
  return (error as Error).message;
};

describe('SecretsManagerRotation: what it refuses, before it writes anything', () => {
  beforeEach(() => secretsManager.reset());
  afterEach(() => {
    // A refusal writes nothing.
    expect(secretsManager).toHaveReceivedCommandTimes(PutSecretValueCommand, 0);
    expect(secretsManager).toHaveReceivedCommandTimes(TagResourceCommand, 0);
    expect(secretsManager).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 0);
  });

  it('a secret with Secrets Manager rotation configured (its rotation function uses AWSPENDING too)', async () => {
    secretsManager.on(DescribeSecretCommand).resolves({ Name: 'press-office/x', Tags: TAGS, RotationEnabled: true });
    expect(await refusal(rotation().start('press-office/x', () => 'x', new Date()))).toMatch(
      /^press-office\/x: Secrets Manager rotation is configured for it/,
    );
    expect(await refusal(rotation().confirm('press-office/x', new Date()))).toMatch(/rotation is configured/);
  });

  it('a secret without the monitoring tag', async () => {
    secretsManager.on(DescribeSecretCommand).resolves({ Name: 'payroll/db', Tags: [] });
    expect(await refusal(rotation().start('payroll/db', () => 'x', new Date()))).toBe(
      'payroll/db: not a monitored login (it has no credential-hygiene:platform tag)',
    );
  });

  it('a secret scheduled for deletion', async () => {
    secretsManager.on(DescribeSecretCommand).resolves({ Name: 'press-office/x', Tags: TAGS, DeletedDate: new Date() });
    expect(await refusal(rotation().abort('press-office/x'))).toBe(
      'press-office/x: the secret is scheduled for deletion',
    );
  });

  it('a secret it may not describe', async () => {
    secretsManager
      .on(DescribeSecretCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    expect(await refusal(rotation().start('hr/secret', () => 'x', new Date()))).toBe(
      'hr/secret: not a monitored login, or not one you may change (access denied)',
    );
  });

  it('abort of a change already confirmed half way: it says to finish with confirm, and moves nothing', async () => {
    secretsManager.on(DescribeSecretCommand).resolves({
      Name: 'press-office/x',
      Tags: TAGS,
      VersionIdsToStages: { 'a1b2c3d4-0000-4000-8000-000000000001': ['AWSCURRENT', 'AWSPENDING'] },
    });
    expect(await refusal(rotation().abort('press-office/x'))).toMatch(/already confirmed .* run rotate confirm/);
    expect(secretsManager).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 0);
  });
});
