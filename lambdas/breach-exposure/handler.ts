import { PwnedPasswordsClient } from '../adapters/pwned-passwords-client';
import { ZxcvbnStrengthEstimator } from '../adapters/zxcvbn-strength-estimator';
import { checkRunHandler } from '../shared/check-run-handler';
import { FUNCTION_SPECS } from '../shared/function-specs';

/**
 * Breached, weak and reused passwords (the one function that reads passwords for them) and, with an HIBP key
 * configured, logins whose email was breached since the password changed.
 */
export const handler = checkRunHandler({
  ...FUNCTION_SPECS.breachExposure,
  evidence: (env) => ({
    breachSource: new PwnedPasswordsClient(
      env.pwnedPasswordsUrl === undefined ? {} : { baseUrl: env.pwnedPasswordsUrl },
    ),
    strengthEstimator: new ZxcvbnStrengthEstimator(),
  }),
});
