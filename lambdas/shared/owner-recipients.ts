import * as z from '../core/zod';

/** Who hears about one owner's findings. */
export interface Recipients {
  readonly emails: readonly string[];
  /** E.164 numbers; SMS goes out for critical and high findings only. */
  readonly phones: readonly string[];
  /**
   * Another owner entry, told once of this owner's findings left open past the policy's `escalation` days; without
   * it, the platform team is (on AWS).
   */
  readonly escalateTo?: string;
}

export const recipientsSchema = z.strictObject(
  {
    emails: z._default(z.array(z.email({ error: 'must be an email address' }), { error: 'must be a list' }), []),
    phones: z._default(
      z.array(
        z
          .string()
          .check(z.regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 phone number such as +447700900123' })),
        {
          error: 'must be a list',
        },
      ),
      [],
    ),
  },
  { error: 'must be an object with emails and phones' },
);

/** An owner id, as the owner tag and cdk.json's `owners` spell it. */
export const OWNER_ID = /^[\w.@:/+=-]{1,128}$/;

/** Owner id (the `credential-hygiene:owner` tag value) to its recipients: cdk.json's `owners`, the CLI's `--owners`. */
export const ownersSchema = z
  .record(
    z.string().check(z.regex(OWNER_ID, { error: 'must be an owner id as used in the owner tag' })),
    z.extend(recipientsSchema, {
      escalateTo: z.optional(z.string().check(z.regex(OWNER_ID, { error: 'must be the id of another owner entry' }))),
    }),
    { error: 'must be an object of owner ids' },
  )
  .check(
    z.superRefine((owners, context) => {
      for (const [owner, entry] of Object.entries(owners)) {
        const to = entry.escalateTo;
        if (to === undefined) continue;
        if (to === owner || !Object.hasOwn(owners, to)) {
          context.addIssue({
            code: 'custom',
            path: [owner, 'escalateTo'],
            message: to === owner ? 'must name another owner entry, not its own' : 'must name another owner entry',
          });
        }
      }
    }),
  );

/** Each owner's escalation contact, where its entry names one. */
export function escalationContactsOf(owners: Readonly<Record<string, Recipients>>): Map<string, string> {
  return new Map(
    Object.entries(owners).flatMap(([owner, entry]) =>
      entry.escalateTo === undefined ? [] : [[owner, entry.escalateTo]],
    ),
  );
}

/** The owners whose findings reach someone: those with at least one address or phone. */
export function routedOwnerIds(owners: Readonly<Record<string, Recipients>>): string[] {
  return Object.entries(owners)
    .filter(([, recipients]) => recipients.emails.length + recipients.phones.length > 0)
    .map(([id]) => id);
}

/** One subscription of the findings topic: an address, and the filter policy that routes its messages. */
export interface FindingsSubscription {
  readonly protocol: 'email' | 'sms';
  readonly endpoint: string;
  /** Message attribute name to the values it lets through; absent: every message. */
  readonly filterPolicy?: Readonly<Record<string, readonly string[]>>;
}

/** SMS is for what cannot wait: an owner's phone gets critical and high findings, the platform team's critical only. */
export const OWNER_SMS_SEVERITIES = ['critical', 'high'] as const;
export const PLATFORM_TEAM_SMS_SEVERITIES = ['critical'] as const;

/**
 * Every subscription the findings topic should have: each owner's addresses filtered to that owner's digests (email
 * for all of them, SMS for critical and high), and the platform team's, which hear of everything (SMS: critical).
 */
export function findingsSubscriptions(
  owners: Readonly<Record<string, Recipients>>,
  platformTeam: Recipients,
): FindingsSubscription[] {
  return [
    ...Object.entries(owners).flatMap(([owner, recipients]) => [
      ...recipients.emails.map((endpoint) => ({
        protocol: 'email' as const,
        endpoint,
        filterPolicy: { owner: [owner] },
      })),
      ...recipients.phones.map((endpoint) => ({
        protocol: 'sms' as const,
        endpoint,
        filterPolicy: { owner: [owner], severity: [...OWNER_SMS_SEVERITIES] },
      })),
    ]),
    ...platformTeam.emails.map((endpoint) => ({ protocol: 'email' as const, endpoint })),
    ...platformTeam.phones.map((endpoint) => ({
      protocol: 'sms' as const,
      endpoint,
      filterPolicy: { severity: [...PLATFORM_TEAM_SMS_SEVERITIES] },
    })),
  ];
}
