import type { MfaStatusSource } from '../../core/evidence-sources';
import type { MfaProviderDescriptor } from '../../core/mfa-provider-descriptor';
import type * as z from '../../core/zod';

/** Where one provider's credentials are, as its settings say: a Secrets Manager secret, or a file (the CLI only). */
export interface CredentialsRef {
  readonly credentialsSecret?: string;
  readonly credentialsFile?: string;
}

/** A permission a provider's lookups need, granted to the function that asks it (ARN parts, as CDK's `formatArn`). */
export interface MfaProviderGrant {
  readonly actions: readonly string[];
  readonly resource: {
    readonly service: string;
    readonly region: '';
    readonly resource: string;
    readonly resourceName: string;
  };
}

/**
 * Everything about an identity provider except its client, in its own folder's `provider.ts`: what the core knows of
 * it (id, name, how it finds an account's user), its settings (the key under `mfaProviders` and their schema), and
 * what it needs from AWS (the secrets it reads, the permissions its lookups use). Light to load: the functions that do
 * not ask providers parse accounts and policies with it without bundling any provider's libraries.
 */
export interface MfaProviderModule<Settings = unknown> extends MfaProviderDescriptor {
  /** Its key under `mfaProviders` in cdk.json, a function's environment and the CLI's settings file. */
  readonly settingsKey: string;
  readonly settingsSchema: z.ZodMiniType<Settings>;
  /** Where its credentials are, if it reads any (the functions refuse a file; the CLI reads either). */
  credentialsOf(settings: Settings): CredentialsRef | undefined;
  /** The permissions its lookups need beyond reading its credentials' secret. */
  grantsFor(settings: Settings): readonly MfaProviderGrant[];
}

/** How the composition reads credentials for a provider's client, and where the client runs. */
export interface MfaProviderWiring {
  /** Reads the credentials' text: from Secrets Manager in a function, from a file or a secret in the CLI. */
  readonly readCredentials: (ref: CredentialsRef) => Promise<string>;
  /** The region a regional client uses where the settings give none. */
  readonly defaultRegion?: string;
}

/** A provider's client, made from its settings, in its folder's `client.ts` (loaded only where providers are asked). */
export type MfaProviderClientFactory<Settings = unknown> = (
  settings: Settings,
  wiring: MfaProviderWiring,
) => MfaStatusSource;
