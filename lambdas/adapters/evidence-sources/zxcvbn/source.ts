import * as z from '../../../core/zod';
import type { EvidenceSourceModule } from '../source-module';

/**
 * zxcvbn, the password-strength estimator (the original 4.4.2): nothing to configure, and on wherever passwords are
 * scored. Its dictionaries are large, so only the function that scores passwords bundles its client.
 */
export const zxcvbn: EvidenceSourceModule<'strength', Record<string, never>> = {
  id: 'zxcvbn',
  kind: 'strength',
  name: 'zxcvbn',
  settingsSchema: z.strictObject({}),
  defaultSettings: {},
  credentialsSecretOf: () => undefined,
};
