import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EnvironmentError } from './environment';

/**
 * How long a warm function keeps a secret's value before reading it again: a rotated key or credential is in use
 * within five minutes, without waiting for a cold start, while a run of thousands of lookups reads it once.
 */
export const SECRET_MAX_AGE_SECONDS = 300;

/** Reads the secrets the functions use themselves (keys, provider credentials) through Powertools Parameters. */
export function secretsProviderFor(client: SecretsManagerClient): SecretsProvider {
  return new SecretsProvider({ awsSdkV3Client: client });
}

/**
 * A secret's string, as `use` makes it into what is needed (a key, a client), read through Powertools' cache with
 * `SECRET_MAX_AGE_SECONDS`. What `use` made is kept while the secret's text is unchanged (a client keeps its rate
 * limiter and tokens) and made again when it changes. A failed read is not kept: the next use reads again. What the
 * secret holds is never logged.
 */
export function secretValue<T>(
  secrets: Pick<SecretsProvider, 'get'>,
  secretId: string,
  use: (secret: string) => T,
): () => Promise<T> {
  let made: { readonly from: string; readonly value: T } | undefined;
  return async () => {
    const text = await secrets.get(secretId, { maxAge: SECRET_MAX_AGE_SECONDS }).catch((error: unknown) => {
      // Powertools wraps the SDK's error; the SDK's own (ResourceNotFoundException, AccessDeniedException) says why.
      throw error instanceof Error && error.name === 'GetParameterError' && error.cause !== undefined
        ? error.cause
        : error;
    });
    if (typeof text !== 'string' || text === '') throw new EnvironmentError(`the secret ${secretId} holds no string`);
    if (made?.from !== text) made = { from: text, value: use(text) };
    return made.value;
  };
}
