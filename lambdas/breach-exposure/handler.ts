import { PwnedPasswordsClient } from '../adapters/pwned-passwords-client';
import { ZxcvbnStrengthEstimator } from '../adapters/zxcvbn-strength-estimator';
import { breachedPasswordCheck } from '../core/checks/breached-password';
import { reusedPasswordCheck } from '../core/checks/reused-password';
import { weakPasswordCheck } from '../core/checks/weak-password';
import { checkRunHandler } from '../shared/check-run-handler';

/**
 * Breached, weak and reused passwords (the one function that reads passwords for them) and, with an HIBP key
 * configured, logins whose email was breached since the password changed.
 */
export const handler = checkRunHandler({
  family: 'breach-exposure',
  checks: [breachedPasswordCheck, weakPasswordCheck, reusedPasswordCheck],
  readsValues: true,
  passwords: 'record',
  checksIdentities: true,
  evidence: (env) => ({
    breachSource: new PwnedPasswordsClient(
      env.pwnedPasswordsUrl === undefined ? {} : { baseUrl: env.pwnedPasswordsUrl },
    ),
    strengthEstimator: new ZxcvbnStrengthEstimator(),
  }),
});
