/**
 * Who has read a login's password: each read of its secret, and the people known to have left. A read is a fact an
 * audit log records (who, when, which version); none of it is secret, but a person's name is personal data, so only
 * names and dates go into a report: never a session token, an access key or a source address.
 */

/** Who read a secret, as a person is named across logs and the leavers list. */
export interface Reader {
  /**
   * The person: an Identity Center user's user name (their role session's name), an IAM user's name, or for any other
   * role session `role/session`. Matched against the leavers case-insensitively.
   */
  readonly name: string;
  readonly kind: 'identity-center-user' | 'iam-user' | 'role-session';
  /** The identity store's user id, where the event has it (`onBehalfOf.userId`). */
  readonly userId?: string;
  /** The role's ARN and the assumed-role (session) ARN, or the IAM user's ARN: what ignore globs are matched against. */
  readonly arns: readonly string[];
}

/** One read of a secret's value. */
export interface SecretRead {
  /** The secret as the read named it: its ARN (full or partial) or its name. */
  readonly secret: string;
  readonly reader: Reader;
  readonly at: Date;
  /** The version asked for, where the read named one: another than the current one is not a read of this password. */
  readonly versionId?: string;
  readonly versionStage?: string;
}

/** The stages Secrets Manager keeps beside the current one: a read of either is not a read of the current password. */
const OTHER_STAGES: ReadonlySet<string> = new Set(['AWSPREVIOUS', 'AWSPENDING']);

/**
 * Whether a read was of the version current when it was made: no version named, or `AWSCURRENT`, or the current
 * version's id where it is known. A read naming another id (or an id that cannot be told to be the current one) is
 * not counted: naming a version is how an older password is read back.
 */
export function readsCurrentVersion(
  read: Pick<SecretRead, 'versionId' | 'versionStage'>,
  currentVersionId?: string,
): boolean {
  if (read.versionStage !== undefined && OTHER_STAGES.has(read.versionStage)) return false;
  return read.versionId === undefined || read.versionId === currentVersionId;
}

/**
 * The secret's name in an ARN (`arn:aws:secretsmanager:eu-west-2:1:secret:press/x-AbCdEf` → `press/x`): Secrets
 * Manager appends a hyphen and six characters to every secret's name in its ARN. A partial ARN has no suffix.
 */
export function secretNameOf(secret: string): string {
  if (!secret.startsWith('arn:')) return secret;
  const name = secret.slice(secret.indexOf(':secret:') + ':secret:'.length);
  return /-[A-Za-z0-9]{6}$/.test(name) ? name.slice(0, -7) : name;
}

/**
 * A glob of ARNs as the policy writes them (`knowers.ignorePrincipals`): `*` matches any characters, `/` included;
 * everything else is itself. Matched against the whole ARN.
 */
export function arnGlob(glob: string): (arn: string) => boolean {
  const pattern = new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (arn) => pattern.test(arn);
}

/** The people known to have left, each with the day they left, by name in lower case. */
export type Leavers = ReadonlyMap<string, Date>;
