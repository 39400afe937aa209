import { tagKeysFor } from './secrets-manager-tags';

/** An IAM policy statement as JSON: what the stack grants, a member role allows, and a session policy narrows to. */
export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** The condition that a secret carries the monitoring tag (its platform tag). */
export function monitoredSecretCondition(tagKey: string) {
  return { Null: { [`aws:ResourceTag/${tagKeysFor(tagKey).platform}`]: 'false' } } as const;
}

/**
 * What reading the monitored secrets takes, for a function that reads their values or for one that reads only their
 * metadata: list them (ListSecrets cannot be narrowed by resource), read only secrets that carry the monitoring tag,
 * and decrypt with their customer keys only through Secrets Manager. `secrets`: the secrets' ARN pattern; `region`:
 * the region of `kms:ViaService` (`*` in a role used from any region).
 */
export function secretReadStatements(
  tagKey: string,
  readsValues: boolean,
  where: { readonly secrets: string; readonly region: string },
): IamStatement[] {
  const monitored = monitoredSecretCondition(tagKey);
  const list: IamStatement = {
    Sid: 'ListSecrets',
    Effect: 'Allow',
    Action: ['secretsmanager:ListSecrets'],
    Resource: '*',
  };
  if (!readsValues) {
    return [
      list,
      {
        Sid: 'MonitoredSecretVersions',
        Effect: 'Allow',
        Action: ['secretsmanager:ListSecretVersionIds'],
        Resource: where.secrets,
        Condition: monitored,
      },
    ];
  }
  const viaService = `secretsmanager.${where.region}.amazonaws.com`;
  return [
    list,
    // BatchGetSecretValue authorizes each secret as a GetSecretValue: the tag condition holds there.
    { Sid: 'BatchReads', Effect: 'Allow', Action: ['secretsmanager:BatchGetSecretValue'], Resource: '*' },
    {
      Sid: 'MonitoredSecretValues',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: where.secrets,
      Condition: monitored,
    },
    {
      Sid: 'CustomerKeysThroughSecretsManager',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: '*',
      Condition: { [where.region.includes('*') ? 'StringLike' : 'StringEquals']: { 'kms:ViaService': viaService } },
    },
  ];
}

/**
 * The session policy a function (or the CLI) assumes a member's read role with: its own secret reads, in any account
 * and region of the partition (the role names the account), and what its channels need there (`more`).
 */
export function memberSessionPolicy(
  tagKey: string,
  readsValues: boolean,
  partition: string,
  more: readonly IamStatement[] = [],
): string {
  return policyDocument([
    ...secretReadStatements(tagKey, readsValues, {
      secrets: `arn:${partition}:secretsmanager:*:*:secret:*`,
      region: '*',
    }),
    ...more,
  ]);
}

/** A session policy of statements, as the JSON text STS takes. */
function policyDocument(statements: readonly IamStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
