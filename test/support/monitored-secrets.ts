import {
  BatchGetSecretValueCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  type SecretListEntry,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { AwsClientStub } from 'aws-sdk-client-mock';

export interface FakeSecret {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly value: string;
  readonly createdAt: Date;
}

export function secretArn(name: string): string {
  return `arn:aws:secretsmanager:eu-west-2:111122223333:secret:${name}-AbCdEf`;
}

/** Makes a mocked Secrets Manager serve these secrets through every call the inventory uses. */
export function serveSecrets(mock: AwsClientStub<SecretsManagerClient>, secrets: readonly FakeSecret[]): void {
  const list: SecretListEntry[] = secrets.map((secret) => ({
    ARN: secretArn(secret.name),
    Name: secret.name,
    CreatedDate: secret.createdAt,
    LastChangedDate: secret.createdAt,
    Tags: Object.entries(secret.tags).map(([Key, Value]) => ({ Key, Value })),
  }));
  const byArn = new Map(secrets.map((secret) => [secretArn(secret.name), secret]));
  mock.on(ListSecretsCommand).resolves({ SecretList: list });
  mock.on(BatchGetSecretValueCommand).callsFake((input: { SecretIdList: string[] }) => ({
    SecretValues: input.SecretIdList.flatMap((arn) => {
      const secret = byArn.get(arn);
      return secret ? [{ ARN: arn, Name: secret.name, SecretString: secret.value, CreatedDate: secret.createdAt }] : [];
    }),
  }));
  mock.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => {
    const secret = byArn.get(input.SecretId);
    return { ARN: input.SecretId, SecretString: secret?.value, CreatedDate: secret?.createdAt };
  });
  mock.on(ListSecretVersionIdsCommand).callsFake((input: { SecretId: string }) => ({
    Versions: [{ VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: byArn.get(input.SecretId)?.createdAt }],
  }));
}
