import { SafeToShowError } from '../core/safe-to-show-error';
import { describeIssues } from '../core/validation-problems';
import * as z from '../core/zod';

/** A scheduled run checks and notifies everything; a manual one may name secrets and may be a dry run. */
export type Invocation =
  | { readonly kind: 'scheduled' }
  | { readonly kind: 'manual'; readonly secretIds?: readonly string[]; readonly dryRun: boolean };

/** A manual invocation payload that cannot be used. Its message names the field and shows the expected form. */
export class InvalidInvocationError extends SafeToShowError {
  override readonly name = 'InvalidInvocationError';
}

const EXAMPLE = '{"secretIds": ["press-office/x"], "dryRun": true}';

const manualPayload = z.strictObject(
  {
    secretIds: z.optional(
      z
        .array(
          z
            .string({ error: 'must be a secret name or ARN' })
            .check(
              z.minLength(1, { error: 'must not be empty' }),
              z.maxLength(2048, { error: 'must be at most 2048 characters' }),
            ),
          { error: 'must be a list of secret names or ARNs' },
        )
        .check(
          z.minLength(1, { error: 'must name at least one secret (leave it out to check them all)' }),
          z.maxLength(1000, { error: 'must name at most 1000 secrets' }),
        ),
    ),
    dryRun: z.optional(z.boolean({ error: 'must be true or false' })),
  },
  { error: 'must be a JSON object' },
);

function isScheduledEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const record = event as Record<string, unknown>;
  return record.source === 'aws.events' && record['detail-type'] === 'Scheduled Event';
}

/** Tells an EventBridge schedule from a manual invoke, and validates the manual payload. */
export function parseInvocation(event: unknown): Invocation {
  if (isScheduledEvent(event)) return { kind: 'scheduled' };
  const parsed = manualPayload.safeParse(event ?? {});
  if (!parsed.success) {
    throw new InvalidInvocationError(
      `invalid invocation payload: ${describeIssues(parsed.error.issues, '(payload)').join('; ')}. Expected, for example: ${EXAMPLE}`,
    );
  }
  return {
    kind: 'manual',
    dryRun: parsed.data.dryRun ?? false,
    ...(parsed.data.secretIds !== undefined && { secretIds: parsed.data.secretIds }),
  };
}
