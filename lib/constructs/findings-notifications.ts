import { join } from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, type CfnFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { findingsSubscriptions } from '../../lambdas/shared/owner-recipients';
import type { Recipients } from '../config';

export interface FindingsNotificationsProps {
  /** Owner id to recipients: each hears only about findings routed to that owner. */
  readonly owners: Readonly<Record<string, Recipients>>;
  /** Hears about everything, unowned findings and the monitor's own alarms included. */
  readonly platformTeam: Recipients;
}

/**
 * Where findings and alarms go: a KMS-encrypted findings topic whose subscriptions (one filtered subscription per
 * owner address: email for every digest, SMS for critical and high) are kept in step with the configuration at deploy
 * time by one custom resource, so the stack's size does not grow with the owners (CloudFormation allows 500 resources
 * in a stack; 300 owners with an email and a phone are 600 subscriptions); and an operations topic for the monitor's
 * alarms, which the platform team's few addresses subscribe to directly.
 */
export class FindingsNotifications extends Construct {
  readonly key: Key;
  readonly findingsTopic: Topic;
  readonly operationsTopic: Topic;
  /** The function that keeps the findings topic's subscriptions in step (run by CloudFormation, at deploy time). */
  readonly subscriptionSync: NodejsFunction;

  constructor(scope: Construct, id: string, props: FindingsNotificationsProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'credential-hygiene: encrypts finding digests, alarms and the dead-letter queue',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted operations topic.
    this.key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

    this.findingsTopic = new Topic(this, 'FindingsTopic', {
      displayName: 'credential-hygiene findings',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.operationsTopic = new Topic(this, 'OperationsTopic', {
      displayName: 'credential-hygiene alarms',
      masterKey: this.key,
      enforceSSL: true,
    });

    const { role: syncRole, logGroup: syncLogs } = roleWithLogs(
      this,
      'SubscriptionSync',
      "credential-hygiene: keeps the findings topic's subscriptions in step",
    );
    this.subscriptionSync = new NodejsFunction(this, 'SubscriptionSync', {
      entry: join(__dirname, '..', '..', 'lambdas', 'subscription-sync', 'handler.ts'),
      handler: 'handler',
      description: "credential-hygiene: keeps the findings topic's subscriptions in step with cdk.json's owners",
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.minutes(5),
      role: syncRole,
      logGroup: syncLogs,
      environment: { POWERTOOLS_SERVICE_NAME: 'subscription-sync' },
      bundling: { minify: true, target: 'node22', format: OutputFormat.CJS, externalModules: ['@aws-sdk/*'] },
    });
    // Only this topic's subscriptions: it can neither publish nor touch another topic.
    this.subscriptionSync.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'sns:ListSubscriptionsByTopic',
          'sns:Subscribe',
          'sns:Unsubscribe',
          'sns:GetSubscriptionAttributes',
          'sns:SetSubscriptionAttributes',
        ],
        resources: [this.findingsTopic.topicArn],
      }),
    );
    const { role: providerRole, logGroup: providerLogs } = roleWithLogs(
      this,
      'SubscriptionSyncProvider',
      'credential-hygiene: the custom resource provider that runs the subscription sync',
    );
    const provider = new Provider(this, 'SubscriptionSyncProvider', {
      onEventHandler: this.subscriptionSync,
      frameworkOnEventRole: providerRole,
      logGroup: providerLogs,
    });
    Validations.of(providerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.subscriptionSync.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason:
        "CDK's custom resource provider invokes the subscription sync function by any of its versions (lambda:InvokeFunction on <function>:*); nothing else.",
    });
    new CustomResource(this, 'FindingsSubscriptions', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::FindingsSubscriptions',
      properties: {
        TopicArn: this.findingsTopic.topicArn,
        Subscriptions: findingsSubscriptions(props.owners, props.platformTeam),
      },
    });

    for (const email of props.platformTeam.emails) this.operationsTopic.addSubscription(new EmailSubscription(email));
    for (const phone of props.platformTeam.phones) this.operationsTopic.addSubscription(new SmsSubscription(phone));
  }
}

/**
 * A function's role of its own, writing only to its own log group (no managed policy), as the check functions' are:
 * `<id>Role` and `<id>Logs`.
 */
function roleWithLogs(scope: Construct, id: string, description: string): { role: Role; logGroup: LogGroup } {
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    retention: RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description });
  logGroup.grantWrite(role);
  return { role, logGroup };
}
