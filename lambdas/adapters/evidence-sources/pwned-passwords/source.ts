import type * as z from '../../../core/zod';
import { serviceUrl } from '../../mfa-providers/settings-parts';
import type { EvidenceSourceModule } from '../source-module';

/** The public Pwned Passwords range API (free, no key); a mirror that speaks the same format may replace it. */
const PUBLIC_API = 'https://api.pwnedpasswords.com';

const settingsSchema = serviceUrl;

/**
 * Pwned Passwords, by k-anonymity range: `pwnedPasswordsUrl` names a mirror (https, or plain http on loopback);
 * without it the public API is asked. On by default: every scan that checks passwords asks a breach corpus.
 */
export const pwnedPasswords: EvidenceSourceModule<'breach', PwnedPasswordsSettings> = {
  id: 'pwned-passwords',
  kind: 'breach',
  name: 'Pwned Passwords',
  settingsKey: 'pwnedPasswordsUrl',
  settingsSchema,
  defaultSettings: PUBLIC_API,
  credentialsSecretOf: () => undefined,
};

export type PwnedPasswordsSettings = z.infer<typeof settingsSchema>;
