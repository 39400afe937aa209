import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KeptPromise } from '../util/kept-promise';
import { EnvironmentError } from './environment';

/**
 * A secret's string, read on first use and then kept for the warm container; what it holds is never logged. A failed
 * read is not kept: the next use reads again.
 */
export function secretOnce<T>(
  client: SecretsManagerClient,
  secretId: string,
  use: (secret: string) => T,
): () => Promise<T> {
  const value = new KeptPromise(async () => {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!answer.SecretString) throw new EnvironmentError(`the secret ${secretId} holds no string`);
    return use(answer.SecretString);
  });
  return () => value.get();
}
