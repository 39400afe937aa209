import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { OwnerDigest } from '../../lambdas/adapters/sns/sns-digests';
import { FindingsPublishError, SnsFindingsPublisher } from '../../lambdas/adapters/sns/sns-findings-publisher';
import { awsError } from '../support/aws-errors';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-2:111122223333:findings';

const digest = (owner: string): OwnerDigest => ({
  owner,
  worstSeverity: 'critical',
  checks: ['breached-password', 'weak-password'],
  findings: 2,
  fixed: 0,
  part: 1,
  parts: 1,
  subject: `credential-hygiene: 2 findings for ${owner}, worst critical`,
  message: JSON.stringify({ default: 'd', email: 'e', sms: 's' }),
});
const publisher = () => new SnsFindingsPublisher({ client: new SNSClient({}), topicArn: TOPIC, sleep: async () => {} });

describe('Class: SnsFindingsPublisher', () => {
  beforeEach(() => sns.reset());

  it('publishes each digest as a JSON-structured message with routing attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

    const result = await publisher().publish([digest('press'), digest('digital')], 'breach-exposure');

    expect(result).toEqual({ published: 2 });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
    expect(sns).toHaveReceivedNthSpecificCommandWith(1, PublishCommand, {
      TopicArn: TOPIC,
      MessageStructure: 'json',
      Subject: 'credential-hygiene: 2 findings for press, worst critical',
      MessageAttributes: {
        owner: { DataType: 'String', StringValue: 'press' },
        severity: { DataType: 'String', StringValue: 'critical' },
        checks: { DataType: 'String.Array', StringValue: '["breached-password","weak-password"]' },
        run: { DataType: 'String', StringValue: 'breach-exposure' },
      },
    });
  });

  it('retries a throttled publish and then succeeds', async () => {
    sns.on(PublishCommand).rejectsOnce(awsError('Throttled')).resolves({ MessageId: 'm-1' });

    await expect(publisher().publish([digest('press')], 'r')).resolves.toEqual({ published: 1 });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('publishes every other owner, then fails the run naming the owners that could not be reached', async () => {
    sns
      .on(PublishCommand, { MessageAttributes: { owner: { DataType: 'String', StringValue: 'digital' } } })
      .rejects(awsError('KMSDisabledException', 'key arn:aws:kms:... is disabled'));
    sns.on(PublishCommand, { MessageAttributes: { owner: { DataType: 'String', StringValue: 'press' } } }).resolves({});

    const failure = await publisher()
      .publish([digest('digital'), digest('press')], 'r')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(FindingsPublishError);
    expect((failure as FindingsPublishError).failedOwners).toEqual(['digital']);
    expect((failure as Error).message).toBe(
      '1 of 2 finding digests could not be published (owners: digital; KMSDisabledException)',
    );
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('gives up on a throttled publish after its attempts', async () => {
    sns.on(PublishCommand).rejects(awsError('Throttled'));

    await expect(publisher().publish([digest('press')], 'r')).rejects.toThrow(FindingsPublishError);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 3);
  });
});
