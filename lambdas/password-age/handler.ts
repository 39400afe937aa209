import { ownershipCheck } from '../core/checks/ownership';
import { passwordAgeCheck } from '../core/checks/password-age';
import { rotationCheck } from '../core/checks/rotation';
import { checkRunHandler } from '../shared/check-run-handler';

/** Password age, rotation and ownership, from metadata alone: this function never reads a secret value. */
export const handler = checkRunHandler({
  family: 'password-age',
  checks: [passwordAgeCheck, rotationCheck, ownershipCheck],
  readsValues: false,
  passwords: 'read',
});
