import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { tagKeysFor } from '../../lambdas/adapters/secrets-manager-tags';
import { monitoredSecretChangeStatements } from './monitored-secret-changes';

export interface PersonAccessPolicyProps {
  /** The tag that marks a secret as monitored. */
  readonly tagKey: string;
  /** Only secrets whose name starts with this (cdk.json `personAccess.secretNamePrefix`); every secret otherwise. */
  readonly secretNamePrefix?: string;
}

/**
 * What a person needs to run `credential-hygiene import --apply` and `rotate`, and no more: create a secret only with
 * the monitoring tag; read, version, relabel and tag only secrets that carry it; remove no tag but the record of a
 * pending change (so the monitoring tag cannot be taken off); learn whether a name is taken (metadata, never a value);
 * and use a customer key only through Secrets Manager. Attached to people (or an Identity Center permission set) by
 * the platform team, never to a function.
 */
export class PersonAccessPolicy extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: PersonAccessPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const tags = tagKeysFor(props.tagKey);
    const secrets = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${props.secretNamePrefix ?? ''}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.policy = new ManagedPolicy(this, 'Policy', {
      description:
        'Lets a person import shared logins into Secrets Manager and rotate their passwords (credential-hygiene)',
      statements: [
        new PolicyStatement({
          sid: 'CreateOnlyMonitoredSecrets',
          effect: Effect.ALLOW,
          // CreateSecret with tags also needs TagResource, with the same request tags.
          actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
          resources: [secrets],
          conditions: { Null: { [`aws:RequestTag/${tags.platform}`]: 'false' } },
        }),
        new PolicyStatement({
          sid: 'LearnWhetherANameIsTaken',
          effect: Effect.ALLOW,
          actions: ['secretsmanager:DescribeSecret'],
          resources: [secrets],
        }),
        ...monitoredSecretChangeStatements(props.tagKey, secrets, stack.region),
      ],
    });
  }
}
