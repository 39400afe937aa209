import { dirname, resolve } from 'node:path';
import { AWS_CLIENT_OPTIONS } from '../../lambdas/adapters/aws-client-options';
import { readTextFile } from '../../lambdas/adapters/json-file';
import type { CredentialsRef } from '../../lambdas/adapters/mfa-providers/provider-module';
import { parseMfaProviderSettings } from '../../lambdas/adapters/mfa-providers/settings';
import type { MfaStatusSource } from '../../lambdas/core/evidence-sources';
import { readSettingsFile } from './settings-file';
import { UsageError } from './usage-error';

/**
 * The MFA providers in a settings file (`--mfa-providers`), the shape of `mfaProviders` in cdk.json. Credentials come
 * from `credentialsFile` (relative to the settings file; it should be readable by you alone) or from
 * `credentialsSecret` in Secrets Manager, with the AWS credentials in use.
 */
export async function loadMfaProviders(path: string): Promise<MfaStatusSource[]> {
  const raw = await readSettingsFile(path, 'MFA provider settings');
  const parsed = parseMfaProviderSettings(raw, `--mfa-providers ${path}`);
  if (!parsed.ok) throw new UsageError(parsed.problems.join('\n'));
  const base = dirname(resolve(path));
  let secrets: Promise<(secretId: string) => Promise<string>> | undefined;
  const readCredentials = async ({ credentialsFile, credentialsSecret }: CredentialsRef): Promise<string> => {
    if (credentialsFile !== undefined) {
      return readTextFile(resolve(base, credentialsFile), 'MFA provider credentials', 1024 * 1024);
    }
    secrets ??= secretReader();
    return (await secrets)(credentialsSecret as string);
  };
  // Loaded only here, so that a run without providers does not pay for Google's auth library and the IAM client.
  const { mfaProvidersFrom } = await import('../../lambdas/adapters/mfa-providers/clients');
  return mfaProvidersFrom(parsed.settings, { readCredentials });
}

/** Loaded only when a setting names a secret, so that a file-only run does not pay for the AWS SDK. */
async function secretReader(): Promise<(secretId: string) => Promise<string>> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient(AWS_CLIENT_OPTIONS);
  return async (secretId) => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (SecretString === undefined) throw new Error('the secret holds no string');
    return SecretString;
  };
}
