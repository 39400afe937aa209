import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { ServerResponse } from 'node:http';
import { AWS_CLIENT_OPTIONS } from '../../lambdas/adapters/aws-client-options';
import type { OwnerDigest } from '../../lambdas/adapters/sns/sns-digests';
import { FindingsPublishError, SnsFindingsPublisher } from '../../lambdas/adapters/sns/sns-findings-publisher';
import { awsError } from '../support/aws-errors';
import { LocalHttpServer } from '../support/local-http-server';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-2:111122223333:findings';

const digest = (owner: string): OwnerDigest => ({
  owner,
  worstSeverity: 'critical',
  checks: ['breached-password', 'weak-password'],
  findings: 2,
  fixed: 0,
  ending: 0,
  part: 1,
  parts: 1,
  subject: `credential-hygiene: 2 findings for ${owner}, worst critical`,
  message: JSON.stringify({ default: 'd', email: 'e', sms: 's' }),
});
const publisher = () => new SnsFindingsPublisher({ client: new SNSClient({}), topicArn: TOPIC });

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
});

/** SNS's query protocol, as a topic answers: a Publish result, or an error with its code. */
const snsAnswer = (response: ServerResponse, code?: string) => {
  const body =
    code === undefined
      ? '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>'
      : `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
  response.writeHead(code === undefined ? 200 : 400, { 'content-type': 'text/xml' }).end(body);
};

describe('Class: SnsFindingsPublisher, through the real SDK client and its retry strategy', () => {
  let server: LocalHttpServer | undefined;
  beforeAll(() => sns.restore());
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  const realPublisher = () =>
    new SnsFindingsPublisher({
      client: new SNSClient({
        ...AWS_CLIENT_OPTIONS,
        maxAttempts: 3,
        endpoint: server?.url,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
      topicArn: TOPIC,
    });

  it.each([
    ['throttling the SDK knows (ThrottledException)', 'Throttled'],
    ['KMS throttling, which the SDK does not count as throttling by itself', 'KMSThrottling'],
  ])('has the SDK retry %s, once per attempt it allows, and then succeeds', async (_case, code) => {
    server = await LocalHttpServer.start((_request, response, index) =>
      snsAnswer(response, index < 2 ? code : undefined),
    );

    await expect(realPublisher().publish([digest('press')], 'r')).resolves.toEqual({ published: 1 });
    expect(server.requests).toHaveLength(3);
  });

  it("gives up on KMS throttling after the client's attempts, naming the owner", async () => {
    server = await LocalHttpServer.start((_request, response) => snsAnswer(response, 'KMSThrottling'));

    await expect(realPublisher().publish([digest('press')], 'r')).rejects.toThrow(
      '1 of 1 finding digests could not be published (owners: press; KMSThrottlingException)',
    );
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a KMS error that waiting does not fix', async () => {
    server = await LocalHttpServer.start((_request, response) => snsAnswer(response, 'KMSDisabled'));

    await expect(realPublisher().publish([digest('press')], 'r')).rejects.toThrow(FindingsPublishError);
    expect(server.requests).toHaveLength(1);
  });
});
