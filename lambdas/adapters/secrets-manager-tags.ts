import type { StoreTerms } from '../core/store-terms';

/** The tag that marks a secret as monitored (its value is the platform); the others share its prefix. */
export const DEFAULT_TAG_KEY = 'credential-hygiene:platform';

/** The tags that describe a login: the selector (its value is the platform) and its siblings under one prefix. */
export function tagKeysFor(selectorKey: string) {
  const prefix = selectorKey.includes(':') ? selectorKey.slice(0, selectorKey.lastIndexOf(':')) : selectorKey;
  return {
    platform: selectorKey,
    owner: `${prefix}:owner`,
    mfa: `${prefix}:mfa`,
    mfaAttestedAt: `${prefix}:mfa-attested-at`,
    mfaMethods: `${prefix}:mfa-methods`,
    mfaProvider: `${prefix}:mfa-provider`,
    recoveryEmail: `${prefix}:recovery-email`,
    recoveryPhone: `${prefix}:recovery-phone`,
  };
}

/** Advice in the secrets' own terms: the tag a field is read from, and the AWS CLI command that does the change. */
export function secretsManagerTerms(tags: ReturnType<typeof tagKeysFor>): StoreTerms {
  return {
    field: (name) => `the secret's ${tags[name]} tag`,
    cancelDeletion: 'cancel the deletion (aws secretsmanager restore-secret --secret-id with its name)',
    rotateNow: 'rotate the secret now (aws secretsmanager rotate-secret --secret-id with its name)',
  };
}

/** `sms totp` (tag values allow no commas): the factors an owner says are registered, in the attestation's list. */
export function methodsOf(tagValue: string): string[] {
  return tagValue.split(/[\s+/]+/).filter((method) => method !== '');
}
