import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { syncSubscriptions } from '../../lambdas/adapters/sns/subscription-sync';
import { findingsSubscriptions } from '../../lambdas/shared/owner-recipients';

const TOPIC = 'arn:aws:sns:eu-west-2:111122223333:findings';
const sns = mockClient(SNSClient);

describe('Function: syncSubscriptions', () => {
  beforeEach(() => sns.reset());

  it('subscribes what is missing, updates a changed filter, and unsubscribes what is no longer configured', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [
        { Protocol: 'email', Endpoint: 'Press@example.org', SubscriptionArn: `${TOPIC}:press` },
        { Protocol: 'email', Endpoint: 'left@example.org', SubscriptionArn: `${TOPIC}:left` },
        { Protocol: 'sms', Endpoint: '+447700900999', SubscriptionArn: 'PendingConfirmation' },
        // A queue someone else subscribed: not the configuration's to change.
        { Protocol: 'sqs', Endpoint: 'arn:aws:sqs:eu-west-2:111122223333:audit', SubscriptionArn: `${TOPIC}:audit` },
      ],
    });
    sns.on(GetSubscriptionAttributesCommand).resolves({ Attributes: { FilterPolicy: '{"owner":["old-team"]}' } });
    const desired = findingsSubscriptions(
      {
        'press-office': { emails: ['press@example.org'], phones: ['+447700900123'] },
      },
      { emails: [], phones: [] },
    );

    const outcome = await syncSubscriptions(sns as unknown as SNSClient, TOPIC, desired);

    expect(outcome).toEqual({ subscribed: 1, updated: 1, unsubscribed: 1, pending: 1 });
    expect(sns.commandCalls(SubscribeCommand).map((call) => call.args[0].input)).toEqual([
      {
        TopicArn: TOPIC,
        Protocol: 'sms',
        Endpoint: '+447700900123',
        ReturnSubscriptionArn: true,
        Attributes: { FilterPolicy: '{"owner":["press-office"],"severity":["critical","high"]}' },
      },
    ]);
    expect(sns.commandCalls(SetSubscriptionAttributesCommand).map((call) => call.args[0].input)).toEqual([
      {
        SubscriptionArn: `${TOPIC}:press`,
        AttributeName: 'FilterPolicy',
        AttributeValue: '{"owner":["press-office"]}',
      },
    ]);
    expect(sns.commandCalls(UnsubscribeCommand).map((call) => call.args[0].input)).toEqual([
      { SubscriptionArn: `${TOPIC}:left` },
    ]);
  });

  it('changes nothing that is already as configured, whatever order SNS gives the policy in', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [{ Protocol: 'sms', Endpoint: '+447700900123', SubscriptionArn: `${TOPIC}:sms` }],
    });
    sns.on(GetSubscriptionAttributesCommand).resolves({
      Attributes: { FilterPolicy: '{"severity":["critical","high"],"owner":["press-office"]}' },
    });
    const desired = findingsSubscriptions(
      { 'press-office': { emails: [], phones: ['+447700900123'] } },
      {
        emails: [],
        phones: [],
      },
    );

    const outcome = await syncSubscriptions(sns as unknown as SNSClient, TOPIC, desired);

    expect(outcome).toEqual({ subscribed: 0, updated: 0, unsubscribed: 0, pending: 0 });
    expect(sns.commandCalls(SetSubscriptionAttributesCommand)).toEqual([]);
  });

  it('pages through a topic with many subscriptions, and removes all it manages when nothing is configured', async () => {
    sns
      .on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC, NextToken: undefined })
      .resolves({
        Subscriptions: [{ Protocol: 'email', Endpoint: 'a@example.org', SubscriptionArn: `${TOPIC}:a` }],
        NextToken: 'page-2',
      })
      .on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC, NextToken: 'page-2' })
      .resolves({ Subscriptions: [{ Protocol: 'email', Endpoint: 'b@example.org', SubscriptionArn: `${TOPIC}:b` }] });

    const outcome = await syncSubscriptions(sns as unknown as SNSClient, TOPIC, []);

    expect(outcome.unsubscribed).toBe(2);
  });
});
