/** The second factors a platform can offer, as the catalog names them. */
export const MFA_METHODS = ['totp', 'u2f', 'passkey', 'sms', 'email', 'custom'] as const;

export type MfaMethod = (typeof MFA_METHODS)[number];

/**
 * The kinds of second factor a login can have registered, as evidence names them (a provider's answer, an owner's
 * attestation, a stored seed): the one vocabulary providers translate their own names into.
 */
export const SECOND_FACTORS = ['sms', 'email', 'totp', 'security-key', 'passkey', 'app-push'] as const;

export type SecondFactor = (typeof SECOND_FACTORS)[number];

/** Factors an attacker takes over with the phone number (SIM swap) or the mailbox, not with the device. */
export const WEAK_FACTORS: ReadonlySet<SecondFactor> = new Set(['sms', 'email']);

/** A platform's second factors (the catalog's `mfa`), as a reader knows them. */
export const MFA_METHOD_NAMES: Readonly<Record<MfaMethod, string>> = {
  totp: 'an authenticator app',
  u2f: 'a security key',
  passkey: 'a passkey',
  sms: 'SMS codes',
  email: 'email codes',
  custom: "the platform's own app or prompt",
};

/**
 * What a platform offers that is stronger than a code by text or email: an authenticator app, a security key, a
 * passkey. Push prompts (`custom`) are not counted: on some platforms "push" is only a link by SMS.
 */
const STRONGER_OFFERS: readonly MfaMethod[] = ['totp', 'u2f', 'passkey'];

export function strongerFactorsOffered(offered: readonly MfaMethod[]): string[] {
  return STRONGER_OFFERS.filter((method) => offered.includes(method)).map((method) => MFA_METHOD_NAMES[method]);
}

/**
 * Whether the registered factors are only weak ones, and which: `sms` when a phone is among them, else `email`.
 * Undefined when nothing is known of them, or one of them is stronger (or of a kind not known to be weak).
 */
export function onlyWeakFactors(registered: readonly string[]): 'sms' | 'email' | undefined {
  if (registered.length === 0) return undefined;
  if (!registered.every((factor) => WEAK_FACTORS.has(factor as SecondFactor))) return undefined;
  return registered.includes('sms') ? 'sms' : 'email';
}
