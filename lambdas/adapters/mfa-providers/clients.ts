import type { MfaStatusSource } from '../../core/evidence-sources';
import { awsIamClient } from './aws-iam/client';
import { googleWorkspaceClient } from './google-workspace/client';
import { microsoftEntraClient } from './microsoft-entra/client';
import type { MfaProviderClientFactory, MfaProviderWiring } from './provider-module';
import { configuredProviders, type MfaProviderSettings } from './settings';

/** Each provider's client, by its id: one line each, beside its line in `descriptors.ts`. */
export const MFA_PROVIDER_CLIENTS: Readonly<Record<string, MfaProviderClientFactory>> = {
  'google-workspace': googleWorkspaceClient as MfaProviderClientFactory,
  'microsoft-entra': microsoftEntraClient as MfaProviderClientFactory,
  'aws-iam': awsIamClient as MfaProviderClientFactory,
};

/**
 * The MFA providers the settings configure. Credentials are read when a provider needs them (its first lookup, a new
 * token), so a provider that cannot read them fails its lookups (each a check-error) and never the scan, and a
 * rotated credential is used once its reader returns it. What they hold is never logged.
 */
export function mfaProvidersFrom(settings: MfaProviderSettings, wiring: MfaProviderWiring): MfaStatusSource[] {
  return configuredProviders(settings).map(({ provider, settings: own }) => {
    const client = MFA_PROVIDER_CLIENTS[provider.id];
    if (client === undefined) throw new Error(`no client is registered for the MFA provider ${provider.id}`);
    return client(own, wiring);
  });
}
