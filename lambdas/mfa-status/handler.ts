import { mfaProvidersFrom } from '../adapters/mfa-providers/clients';
import { type CheckFamilySpec, checkRunHandler } from '../shared/check-run-handler';
import { FUNCTION_SPECS } from '../shared/function-specs';
import { secretValue } from '../shared/secret-values';

/**
 * Second-factor evidence: the identity providers configured (Google Workspace, Microsoft Entra ID, AWS IAM), owner
 * attestations from tags, and the TOTP seed from the secret value.
 */
export const mfaStatusSpec: CheckFamilySpec = {
  ...FUNCTION_SPECS.mfaStatus,
  evidence: (env, secrets) => {
    if (env.mfaProviders === undefined) return {};
    const readers = new Map<string, () => Promise<string>>();
    const readCredentials = ({ credentialsSecret }: { credentialsSecret?: string }) => {
      if (credentialsSecret === undefined) return Promise.reject(new Error('no credentials secret is configured'));
      const read = readers.get(credentialsSecret) ?? secretValue(secrets, credentialsSecret, (text) => text);
      readers.set(credentialsSecret, read);
      return read();
    };
    return {
      mfaProviders: mfaProvidersFrom(env.mfaProviders, {
        readCredentials,
        ...(process.env.AWS_REGION !== undefined && { defaultRegion: process.env.AWS_REGION }),
      }),
    };
  },
};

export const handler = checkRunHandler(mfaStatusSpec);
