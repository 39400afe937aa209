import type { Account } from '../../core/account';
import * as z from '../../core/zod';
import { isLoopbackHost } from '../loopback';
import type { CredentialsRef, MfaProviderModule } from './provider-module';

/**
 * Where a provider's credentials are: a Secrets Manager secret (a function, or the CLI with AWS credentials) or a
 * local file (the CLI only). Exactly one.
 */
export const credentialsSource = {
  credentialsSecret: z.optional(
    z.string().check(z.regex(/^[\w/+=.@:-]{1,2048}$/, { error: 'must be a Secrets Manager secret name or ARN' })),
  ),
  credentialsFile: z.optional(z.string().check(z.minLength(1, { error: 'must be a path' }))),
};
export const oneCredentialsSource = (settings: { credentialsSecret?: string; credentialsFile?: string }) =>
  (settings.credentialsSecret === undefined) !== (settings.credentialsFile === undefined);
export const ONE_CREDENTIALS_SOURCE = {
  error: 'needs exactly one of credentialsSecret and credentialsFile',
  path: ['credentialsSecret'],
};

/** https, or plain http to a loopback address (a local test server); never credentials in the URL. */
export const serviceUrl = z.url({ protocol: /^https?$/, error: 'must be an https:// URL' }).check(
  z.refine(
    (value) => {
      const parsed = new URL(value);
      const loopback = isLoopbackHost(parsed.hostname);
      return (parsed.protocol === 'https:' || loopback) && !parsed.username && !parsed.password;
    },
    { error: 'must be an https:// URL (plain http only on loopback), without credentials' },
  ),
);

/**
 * A directory (Google Workspace, Entra ID): its user is the sign-in address (the email, or a username that is one);
 * it is asked with credentials of its own, so it needs no AWS permission beyond reading them.
 */
export function directoryProvider<Settings extends CredentialsRef>(
  declared: Pick<MfaProviderModule<Settings>, 'id' | 'name' | 'settingsKey' | 'settingsSchema'>,
): MfaProviderModule<Settings> {
  return {
    ...declared,
    userField: 'email (or a username that is an address)',
    userOf: (account: Account) => account.email ?? (account.username?.includes('@') ? account.username : undefined),
    credentialsOf: (settings) => settings,
    grantsFor: () => [],
  };
}
