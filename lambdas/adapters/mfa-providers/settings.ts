import * as z from '../../core/zod';
import { parseKeyedSettings } from '../keyed-settings';
import { MFA_PROVIDERS } from './descriptors';
import type { CredentialsRef, MfaProviderGrant, MfaProviderModule } from './provider-module';

/**
 * The identity providers asked about MFA, each under its settings key: the same shape in `cdk.json`, a function's
 * environment and the CLI's settings file. Derived from the providers' own schemas.
 */
export const mfaProviderSettingsSchema = z.strictObject(
  Object.fromEntries(MFA_PROVIDERS.map((provider) => [provider.settingsKey, z.optional(provider.settingsSchema)])),
  { error: `must be an object with ${MFA_PROVIDERS.map((provider) => provider.settingsKey).join(', ')}` },
);

/** Each configured provider's settings, by its settings key; each validated by its provider's schema. */
export type MfaProviderSettings = Readonly<Record<string, unknown>>;

/** Settings from JSON, or the problems with them, each naming its key under `prefix`. */
export function parseMfaProviderSettings(
  raw: unknown,
  prefix: string,
): { ok: true; settings: MfaProviderSettings } | { ok: false; problems: string[] } {
  return parseKeyedSettings(mfaProviderSettingsSchema, raw, prefix);
}

/** The providers the settings configure, each with its own settings. */
export function configuredProviders(
  settings: MfaProviderSettings,
): { readonly provider: MfaProviderModule; readonly settings: unknown }[] {
  return MFA_PROVIDERS.filter((provider) => settings[provider.settingsKey] !== undefined).map((provider) => ({
    provider,
    settings: settings[provider.settingsKey],
  }));
}

/** Where each configured provider's credentials are, with its settings key. */
function credentialsOf(settings: MfaProviderSettings): { readonly key: string; readonly ref: CredentialsRef }[] {
  return configuredProviders(settings).flatMap(({ provider, settings: own }) => {
    const ref = provider.credentialsOf(own);
    return ref === undefined ? [] : [{ key: provider.settingsKey, ref }];
  });
}

/** Every Secrets Manager secret the settings read: what the function's role is granted. */
export function credentialSecretsOf(settings: MfaProviderSettings): string[] {
  return credentialsOf(settings).flatMap(({ ref }) =>
    ref.credentialsSecret === undefined ? [] : [ref.credentialsSecret],
  );
}

/** The settings keys whose credentials are a file: the CLI reads them, a function cannot. */
export function credentialFileKeysOf(settings: MfaProviderSettings): string[] {
  return credentialsOf(settings).flatMap(({ key, ref }) => (ref.credentialsFile === undefined ? [] : [key]));
}

/** The permissions the configured providers' lookups need. */
export function providerGrantsOf(settings: MfaProviderSettings): MfaProviderGrant[] {
  return configuredProviders(settings).flatMap(({ provider, settings: own }) => [...provider.grantsFor(own)]);
}
