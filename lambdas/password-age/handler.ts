import { checkRunHandler } from '../shared/check-run-handler';
import { FUNCTION_SPECS } from '../shared/function-specs';

/** Password age, rotation and ownership, from metadata alone: this function never reads a secret value. */
export const handler = checkRunHandler(FUNCTION_SPECS.passwordAge);
