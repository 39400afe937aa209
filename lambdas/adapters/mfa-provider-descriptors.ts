import type { Account } from '../core/account';
import type { MfaProviderDescriptor } from '../core/mfa-provider-descriptor';

/** A directory's user: the sign-in address, the email or a username that is one. */
const directoryUser = {
  userField: 'email (or a username that is an address)',
  userOf: (account: Account) => account.email ?? (account.username?.includes('@') ? account.username : undefined),
};

/**
 * The identity providers this build can ask about MFA, as the core and the settings know them. Kept apart from the
 * providers' clients, so that a function that only parses accounts does not load Google's or AWS's libraries.
 */
export const MFA_PROVIDER_DESCRIPTORS: readonly MfaProviderDescriptor[] = [
  { id: 'google-workspace', name: 'Google Workspace', ...directoryUser },
  { id: 'microsoft-entra', name: 'Microsoft Entra ID', ...directoryUser },
  {
    id: 'aws-iam',
    name: 'AWS IAM',
    userField: 'username (the IAM user name)',
    userOf: (account: Account) => account.username,
  },
];

export const MFA_PROVIDER_IDS: readonly string[] = MFA_PROVIDER_DESCRIPTORS.map((provider) => provider.id);
