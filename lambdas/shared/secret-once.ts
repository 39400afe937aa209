import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EnvironmentError } from './environment';

/**
 * A secret's string, read on first use and then kept for the warm container; what it holds is never logged. A failed
 * read is not kept: the next use reads again, so one throttled or denied call does not last the container's life.
 */
export function secretOnce<T>(
  client: SecretsManagerClient,
  secretId: string,
  use: (secret: string) => T,
): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (value) return value;
    const reading = client.send(new GetSecretValueCommand({ SecretId: secretId })).then((answer) => {
      if (!answer.SecretString) throw new EnvironmentError(`the secret ${secretId} holds no string`);
      return use(answer.SecretString);
    });
    value = reading;
    reading.catch(() => {
      if (value === reading) value = undefined;
    });
    return reading;
  };
}
