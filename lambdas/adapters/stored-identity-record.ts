import type { IdentityRecord } from '../core/lifecycle/lifecycle-state';
import * as z from '../core/zod';

const breach = z.object({ name: z.string(), addedDate: z.string(), exposedPasswords: z.boolean() });

/**
 * A breach as state written before the core's identity types were made source-neutral stored it: HIBP's data classes
 * and flags. Read into the neutral form (and a breach HIBP flagged as not counting dropped), so a state file or table
 * from an earlier version keeps its rotation's memory instead of asking every identity again.
 */
const breachAsFirstStored = z.pipe(
  z.object({
    name: z.string(),
    addedDate: z.string(),
    dataClasses: z.array(z.string()),
    isFabricated: z.boolean(),
    isSpamList: z.boolean(),
    isRetired: z.boolean(),
  }),
  z.transform((stored) =>
    stored.isFabricated || stored.isSpamList || stored.isRetired
      ? undefined
      : { name: stored.name, addedDate: stored.addedDate, exposedPasswords: stored.dataClasses.includes('Passwords') },
  ),
);

/** An identity record as a lifecycle store holds it, in either form it has been written in. */
export const storedIdentityRecordSchema = z.pipe(
  z.object({
    fingerprint: z.string(),
    lastChecked: z.string(),
    breaches: z.array(z.union([breach, breachAsFirstStored])),
  }),
  z.transform(
    (stored): IdentityRecord => ({
      fingerprint: stored.fingerprint,
      lastChecked: stored.lastChecked,
      breaches: stored.breaches.filter((each) => each !== undefined),
    }),
  ),
);
