import { RemovalPolicy } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Recipients } from '../config';

export interface FindingsNotificationsProps {
  /** Owner id to recipients: each hears only about findings routed to that owner. */
  readonly owners: Readonly<Record<string, Recipients>>;
  /** Hears about everything, unowned findings and the monitor's own alarms included. */
  readonly platformTeam: Recipients;
}

/** SMS is for what cannot wait; email carries every finding. */
const SMS_SEVERITIES = ['critical', 'high'];

/**
 * Where findings and alarms go: a KMS-encrypted findings topic with one filtered subscription per owner address
 * (email for every digest, SMS for critical and high), and an operations topic for the monitor's alarms.
 */
export class FindingsNotifications extends Construct {
  readonly key: Key;
  readonly findingsTopic: Topic;
  readonly operationsTopic: Topic;

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

    for (const [owner, recipients] of Object.entries(props.owners)) {
      const toOwner = { owner: SubscriptionFilter.stringFilter({ allowlist: [owner] }) };
      for (const email of recipients.emails) {
        this.findingsTopic.addSubscription(new EmailSubscription(email, { filterPolicy: toOwner }));
      }
      for (const phone of recipients.phones) {
        this.findingsTopic.addSubscription(
          new SmsSubscription(phone, {
            filterPolicy: { ...toOwner, severity: SubscriptionFilter.stringFilter({ allowlist: SMS_SEVERITIES }) },
          }),
        );
      }
    }
    for (const email of props.platformTeam.emails) {
      this.findingsTopic.addSubscription(new EmailSubscription(email));
      this.operationsTopic.addSubscription(new EmailSubscription(email));
    }
    for (const phone of props.platformTeam.phones) {
      this.findingsTopic.addSubscription(
        new SmsSubscription(phone, {
          filterPolicy: { severity: SubscriptionFilter.stringFilter({ allowlist: ['critical'] }) },
        }),
      );
      this.operationsTopic.addSubscription(new SmsSubscription(phone));
    }
  }
}
