import { mfaCheck } from '../core/checks/mfa';
import { checkRunHandler } from '../shared/check-run-handler';

/** Second-factor evidence: owner attestations from tags, and the TOTP seed from the secret value. */
export const handler = checkRunHandler({
  family: 'mfa-status',
  checks: [mfaCheck],
  readsValues: true,
  passwords: 'none',
});
