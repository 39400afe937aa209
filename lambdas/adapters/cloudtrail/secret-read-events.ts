import { SafeToShowError } from '../../core/safe-to-show-error';
import type { Reader, SecretRead } from '../../core/secret-reads';
import * as z from '../../core/zod';

/**
 * CloudTrail's records of reads of secrets, as this project reads them: a `GetSecretValue` (and the secret list of a
 * `BatchGetSecretValue`) by a person or role, not refused. The same record shape arrives in a log file delivered to S3
 * (`{"Records": [...]}`), in an EventBridge event's `detail`, and as the `CloudTrailEvent` text of `LookupEvents`.
 * Only the fields read here are checked (CloudTrail adds fields over time); a field of the wrong type is an error
 * naming the record and the field, never a value. Tokens, access keys and source addresses are never kept.
 */

const SECRETS_MANAGER = 'secretsmanager.amazonaws.com';
const READ_EVENTS: ReadonlySet<string> = new Set(['GetSecretValue', 'BatchGetSecretValue']);

const arn = z.string().check(z.minLength(1), z.maxLength(2048));
const identitySchema = z.object({
  type: z.string().check(z.maxLength(64)),
  arn: z.optional(arn),
  userName: z.optional(z.string().check(z.maxLength(512))),
  sessionContext: z.optional(
    z.object({
      sessionIssuer: z.optional(
        z.object({
          type: z.optional(z.string().check(z.maxLength(64))),
          arn: z.optional(arn),
          userName: z.optional(z.string().check(z.maxLength(512))),
        }),
      ),
    }),
  ),
  onBehalfOf: z.optional(z.object({ userId: z.optional(z.string().check(z.maxLength(256))) })),
});

const recordSchema = z.object({
  eventSource: z.string().check(z.maxLength(128)),
  eventName: z.string().check(z.maxLength(128)),
  eventTime: z.iso.datetime({ offset: true }),
  errorCode: z.nullable(z.optional(z.string().check(z.maxLength(256)))),
  userIdentity: identitySchema,
  requestParameters: z.optional(
    z.nullable(
      z.object({
        secretId: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
        secretIdList: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(2048))).check(z.maxLength(20))),
        versionId: z.optional(z.string().check(z.maxLength(64))),
        versionStage: z.optional(z.string().check(z.maxLength(256))),
      }),
    ),
  ),
});

type Record_ = z.infer<typeof recordSchema>;

/** Why a record could not be read: where, and which field, never its content. */
export class CloudTrailRecordError extends SafeToShowError {
  override readonly name = 'CloudTrailRecordError';
}

/**
 * The reads of secrets in a list of CloudTrail records (`where` names the list for an error: `Records[3]`). Records
 * of other events are passed over unread, so that a log of everything costs only a glance at each.
 */
export function secretReadsOf(records: readonly unknown[], where: (index: number) => string): SecretRead[] {
  const reads: SecretRead[] = [];
  for (const [index, raw] of records.entries()) {
    if (!isSecretRead(raw)) continue;
    const parsed = recordSchema.safeParse(raw);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      throw new CloudTrailRecordError(
        `${where(index)}: ${issue?.path.map(String).join('.') || '(record)'} is not what CloudTrail writes (${issue?.code ?? 'invalid'})`,
      );
    }
    reads.push(...readsOfRecord(parsed.data));
  }
  return reads;
}

/** Whether a record is a read of a secret, by its source and name (the only fields looked at before parsing). */
function isSecretRead(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const { eventSource, eventName } = raw as { eventSource?: unknown; eventName?: unknown };
  return eventSource === SECRETS_MANAGER && typeof eventName === 'string' && READ_EVENTS.has(eventName);
}

function readsOfRecord(record: Record_): SecretRead[] {
  // A refused read is not a read.
  if (record.errorCode !== undefined && record.errorCode !== null) return [];
  const reader = readerOf(record.userIdentity);
  if (reader === undefined) return [];
  const parameters = record.requestParameters ?? {};
  const secrets = record.eventName === 'GetSecretValue' ? [parameters.secretId ?? ''] : (parameters.secretIdList ?? []);
  const at = new Date(record.eventTime);
  return secrets
    .filter((secret) => secret !== '')
    .map((secret) => ({
      secret,
      reader,
      at,
      ...(parameters.versionId !== undefined && { versionId: parameters.versionId }),
      ...(parameters.versionStage !== undefined && { versionStage: parameters.versionStage }),
    }));
}

/** The Identity Center permission sets' roles: `AWSReservedSSO_<permission set>_<id>`. */
const IDENTITY_CENTER_ROLE = /^AWSReservedSSO_/;

/**
 * Who a record's identity is, as a person is named: an Identity Center user by the session name of the
 * `AWSReservedSSO_*` role (their user name, often an email address), with the identity store's user id where given;
 * an IAM user by name; the root user as `root`; any other role session as `role/session`. An AWS service acting on its
 * own is nobody: undefined.
 */
export function readerOf(identity: z.infer<typeof identitySchema>): Reader | undefined {
  const assumed = identity.arn ?? '';
  if (identity.type === 'IAMUser') {
    const name = identity.userName ?? assumed.slice(assumed.lastIndexOf('/') + 1);
    return name === '' ? undefined : { name, kind: 'iam-user', arns: assumed === '' ? [] : [assumed] };
  }
  if (identity.type === 'Root') return { name: 'root', kind: 'iam-user', arns: assumed === '' ? [] : [assumed] };
  if (identity.type !== 'AssumedRole' && identity.type !== 'FederatedUser') return undefined;
  // arn:aws:sts::123456789012:assumed-role/ROLE/SESSION
  const parts = assumed.split('/');
  const session = parts.length >= 3 ? parts.slice(2).join('/') : '';
  const role = identity.sessionContext?.sessionIssuer?.userName ?? parts[1] ?? '';
  const roleArn = identity.sessionContext?.sessionIssuer?.arn;
  const arns = [...(roleArn === undefined ? [] : [roleArn]), ...(assumed === '' ? [] : [assumed])];
  if (session === '' || role === '') return undefined;
  const userId = identity.onBehalfOf?.userId;
  if (IDENTITY_CENTER_ROLE.test(role)) {
    return { name: session, kind: 'identity-center-user', arns, ...(userId !== undefined && { userId }) };
  }
  return { name: `${role}/${session}`, kind: 'role-session', arns };
}
