import type { Account } from './account';
import * as z from './zod';

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

/**
 * An `mfaProvider` field: one of the providers this build knows (their ids, passed by the caller) or one of `extra`
 * (`none`, for an account); without the list, any well-formed id.
 */
export function mfaProviderIdSchema(known: readonly string[] | undefined, extra: readonly string[] = []) {
  const choices = known === undefined ? undefined : [...known, ...extra];
  const error = choices ? `must be one of ${choices.join(', ')}` : 'must be an identity provider id';
  return z.string({ error }).check(
    z.refine((value) => (choices ? choices.includes(value) : extra.includes(value) || MFA_PROVIDER_ID.test(value)), {
      error,
    }),
  );
}

/** What `build` makes from a list of known provider ids, made once per list: a zod schema costs far more to make than to use. */
export function oncePerProviderList<T>(
  build: (known: readonly string[] | undefined) => T,
): (known: readonly string[] | undefined) => T {
  const made = new Map<string, T>();
  return (known) => {
    const key = known === undefined ? '' : `:${known.join(',')}`;
    let value = made.get(key);
    if (value === undefined) {
      value = build(known);
      made.set(key, value);
    }
    return value;
  };
}
