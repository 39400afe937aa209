import * as z from '../../../core/zod';
import { serviceUrl } from '../../mfa-providers/settings-parts';
import type { EvidenceSourceModule } from '../source-module';

/** A run spends at most this long asking Have I Been Pwned, well inside Lambda's 15 minutes. */
const MINUTES_PER_RUN = 10;

const settingsSchema = z.strictObject(
  {
    apiKeySecretName: z
      .string({ error: 'must be the name of the secret holding the HIBP API key' })
      .check(z.regex(/^[\w/+=.@-]{1,512}$/, { error: 'must be a Secrets Manager secret name' })),
    requestsPerMinute: z
      .number({ error: "must be your subscription's requests per minute" })
      .check(
        z.int({ error: 'must be a whole number' }),
        z.gte(1, { error: 'must be at least 1' }),
        z.lte(10_000, { error: 'must be at most 10000' }),
      ),
    lookupsPerRun: z.optional(z.number().check(z.int(), z.gte(1, { error: 'must be at least 1' }))),
    /** The API's base URL: a proxy in front of it, or a local server in tests. */
    apiUrl: z.optional(serviceUrl),
  },
  { error: 'must be an object with apiKeySecretName and requestsPerMinute' },
);

export type HibpSettings = z.infer<typeof settingsSchema>;

/** Emails looked up per run by default: what the subscription's rate allows in 10 minutes, with a tenth to spare. */
export function defaultLookupsPerRun(requestsPerMinute: number): number {
  return Math.floor((requestsPerMinute * MINUTES_PER_RUN) / 1.1);
}

/**
 * Have I Been Pwned's breached-account API (a paid key): the breaches each login's email appears in. Off unless
 * `hibp` is configured. The key is read from its secret on the first lookup and again after its maximum age, so a
 * rotated key gets a new client; it is never logged.
 */
export const hibp: EvidenceSourceModule<'identity', HibpSettings> = {
  id: 'hibp',
  kind: 'identity',
  name: 'Have I Been Pwned',
  settingsKey: 'hibp',
  settingsSchema,
  credentialsSecretOf: (settings) => settings.apiKeySecretName,
};
