import zxcvbn from 'zxcvbn';
import type { StrengthEstimate } from '../core/check';
import type { PasswordStrengthEstimator } from '../core/evidence-sources';

/** zxcvbn's cost grows with length; a password whose first 128 characters are strong is strong. */
const MAX_SCORED_LENGTH = 128;

/**
 * The original zxcvbn 4.4.2: about 1.6 ms for an 18-character random password when it was chosen, against about
 * 35 ms for @zxcvbn-ts/core 4 with its defaults on the same machine, with the same scores on the cases measured
 * (0.7 ms on 2026-11-30's machine: see the README's Performance section).
 */
export class ZxcvbnStrengthEstimator implements PasswordStrengthEstimator {
  estimate(password: string, userInputs: readonly string[]): StrengthEstimate {
    const result = zxcvbn(password.slice(0, MAX_SCORED_LENGTH), [...userInputs]);
    const warning = result.feedback.warning;
    return { score: result.score, ...(warning ? { warning } : {}) };
  }
}
