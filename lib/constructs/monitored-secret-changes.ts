import { Aws } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { monitoredSecretCondition } from '../../lambdas/adapters/secrets-manager-read-policy';
import { tagKeysFor } from '../../lambdas/adapters/secrets-manager-tags';

/** Every secret of the stack's account and region: names are not known at deploy time, the tag condition narrows it. */
export const ALL_SECRETS = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:*`;

/**
 * What changing a monitored login's password takes (`rotate`, and an import's update), for people and for the
 * password-change function alike: read, version, relabel and tag only secrets that carry the monitoring tag; untag
 * only the pending-change record (so the monitoring tag cannot be taken off); use a customer key only through Secrets
 * Manager in `region`.
 */
export function monitoredSecretChangeStatements(tagKey: string, secrets: string, region: string): PolicyStatement[] {
  const monitored = monitoredSecretCondition(tagKey);
  return [
    new PolicyStatement({
      sid: 'ChangeMonitoredSecrets',
      effect: Effect.ALLOW,
      actions: [
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
        'secretsmanager:TagResource',
      ],
      resources: [secrets],
      conditions: monitored,
    }),
    new PolicyStatement({
      sid: 'UntagOnlyThePendingChangeRecord',
      effect: Effect.ALLOW,
      actions: ['secretsmanager:UntagResource'],
      resources: [secrets],
      conditions: {
        ...monitored,
        'ForAllValues:StringEquals': { 'aws:TagKeys': [tagKeysFor(tagKey).rotationPending] },
      },
    }),
    new PolicyStatement({
      sid: 'CustomerKeysThroughSecretsManagerOnly',
      effect: Effect.ALLOW,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
    }),
  ];
}
