import { z } from 'zod';

/** Who hears about one owner's findings. */
export interface Recipients {
  readonly emails: readonly string[];
  /** E.164 numbers; SMS goes out for critical and high findings only. */
  readonly phones: readonly string[];
}

export const recipientsSchema = z.strictObject(
  {
    emails: z.array(z.email({ error: 'must be an email address' }), { error: 'must be a list' }).default([]),
    phones: z
      .array(z.string().regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 phone number such as +447700900123' }), {
        error: 'must be a list',
      })
      .default([]),
  },
  { error: 'must be an object with emails and phones' },
);

/** Owner id (the `credential-hygiene:owner` tag value) to its recipients: cdk.json's `owners`, the CLI's `--owners`. */
export const ownersSchema = z.record(
  z.string().regex(/^[\w.@:/+=-]{1,128}$/, { error: 'must be an owner id as used in the owner tag' }),
  recipientsSchema,
  { error: 'must be an object of owner ids' },
);

/** The owners whose findings reach someone: those with at least one address or phone. */
export function routedOwnerIds(owners: Readonly<Record<string, Recipients>>): string[] {
  return Object.entries(owners)
    .filter(([, recipients]) => recipients.emails.length + recipients.phones.length > 0)
    .map(([id]) => id);
}
