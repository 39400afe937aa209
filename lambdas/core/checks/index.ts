import type { Check } from '../check';
import { breachedIdentityCheck } from './breached-identity';
import { breachedPasswordCheck } from './breached-password';
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
  recoveryCheck,
];

/**
 * Every check that needs no subscription, in report order. `breachedIdentityCheck` is added where an identity breach source is
 * configured. Handlers that run a subset import the ones they need instead.
 */
export const ALL_CHECKS: readonly Check[] = CHECKS.filter((check) => check !== breachedIdentityCheck);

/** The checks to run, with the breached-identity check added where an identity breach source is configured. */
export function withIdentityCheck(checks: readonly Check[], identitiesConfigured: boolean): readonly Check[] {
  return identitiesConfigured && !checks.includes(breachedIdentityCheck) ? [...checks, breachedIdentityCheck] : checks;
}
