import type { Check } from '../check';
import { breachedIdentityCheck } from './breached-identity';
import { breachedPasswordCheck } from './breached-password';
import { knowersCheck } from './knowers';
import { mfaCheck } from './mfa';
import { ownershipCheck } from './ownership';
import { passwordAgeCheck } from './password-age';
import { recoveryCheck } from './recovery';
import { reusedPasswordCheck } from './reused-password';
import { rotationCheck } from './rotation';
import { weakPasswordCheck } from './weak-password';

export {
  breachedIdentityCheck,
  breachedPasswordCheck,
  knowersCheck,
  mfaCheck,
  ownershipCheck,
  passwordAgeCheck,
  recoveryCheck,
  reusedPasswordCheck,
  rotationCheck,
  weakPasswordCheck,
};

/** Every check, each declaring its id, kinds and needs: the registry the policy and the report follow. */
export const CHECKS: readonly Check[] = [
  breachedPasswordCheck,
  breachedIdentityCheck,
  weakPasswordCheck,
  reusedPasswordCheck,
  passwordAgeCheck,
  rotationCheck,
  mfaCheck,
  ownershipCheck,
  knowersCheck,
  recoveryCheck,
];

/**
 * Every check that needs no subscription and no opt-in, in report order. `breachedIdentityCheck` is added where an
 * identity breach source is configured, `knowersCheck` where the reads of the secrets can be known. Handlers that run
 * a subset import the ones they need instead.
 */
export const ALL_CHECKS: readonly Check[] = CHECKS.filter(
  (check) => check !== breachedIdentityCheck && check !== knowersCheck,
);

/** The checks to run, with the knowers check added where the reads of the secrets are known (opt-in). */
export function withKnowersCheck(checks: readonly Check[], readsKnown: boolean): readonly Check[] {
  if (!readsKnown || checks.includes(knowersCheck)) return checks;
  // Before the estate phase's checks: a leaver holding a mailbox's password opens the logins behind it.
  const estate = checks.findIndex((check) => check.phase === 'estate');
  return estate === -1
    ? [...checks, knowersCheck]
    : [...checks.slice(0, estate), knowersCheck, ...checks.slice(estate)];
}

/** The checks to run, with the breached-identity check added where an identity breach source is configured. */
export function withIdentityCheck(checks: readonly Check[], identitiesConfigured: boolean): readonly Check[] {
  return identitiesConfigured && !checks.includes(breachedIdentityCheck) ? [...checks, breachedIdentityCheck] : checks;
}
