import type { Account } from './account';

/**
 * An identity provider as the core needs to know it, declared by the provider's adapter (the core names none): its id
 * (what an account's `mfaProvider` and a platform's catalog entry say), its name for messages, and how it finds the
 * user an account stands for.
 */
export interface MfaProviderDescriptor {
  readonly id: string;
  readonly name: string;
  /** What of an account names its user there, for a message when it is missing: `email (or a username that is an address)`. */
  readonly userField: string;
  userOf(account: Account): string | undefined;
}

/** What an `mfaProvider` id looks like before it is known to be one of the providers this build has. */
export const MFA_PROVIDER_ID = /^[a-z][a-z0-9-]{0,63}$/;
