import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { ACCOUNT_ID, type EmulatedStack, type Invocation, REGION } from './emulated-stack';
import { evaluate, type IamDecision, iamRequestsOf, keyPoliciesOf, rolePoliciesOf } from './iam-evaluation';
import type { MotoServer } from './moto-server';

const CREDENTIALS = { accessKeyId: 'AKIAEMULATOR000000', secretAccessKey: 'emulator-secret-access-key' };

/** Every call a run of a function made, evaluated against that function's synthesized role. */
export async function decisionsOf(stack: EmulatedStack, run: Invocation): Promise<IamDecision[]> {
  const fn = stack.synthesized.functions[run.family];
  if (!fn) throw new Error(`no function ${run.family}`);
  const facts = {
    secrets: await stack.secretFacts(),
    keyOfTopic: new Map(),
    keyOfTable: new Map(),
    keyArns: new Map(),
  };
  return evaluate(
    run.family,
    run.requests.flatMap((request) => iamRequestsOf(request, facts)),
    rolePoliciesOf(stack, fn.roleLogicalId),
    keyPoliciesOf(stack),
    `CredentialHygiene-${fn.roleLogicalId}`,
  );
}

/**
 * An SQS queue on a chat configuration's topic (`slack-1`, `teams-1`), standing for AWS Chatbot (moto has none):
 * `receive` takes what reached it since the last call.
 */
export async function chatQueue(moto: MotoServer, name: string): Promise<{ receive(): Promise<string[]> }> {
  const client = { endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS };
  const sqs = new SQSClient(client);
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `chat-${name}` }))).QueueUrl as string;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
    .Attributes?.QueueArn;
  await new SNSClient(client).send(
    new SubscribeCommand({
      TopicArn: chatTopicArn(name),
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return {
    async receive() {
      const page = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      for (const message of page.Messages ?? []) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
      return (page.Messages ?? []).map((message) => message.Body ?? '');
    },
  };
}

/** A chat configuration's topic, as the stack names it (`CredentialHygiene-chat-slack-1`). */
export const chatTopicArn = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT_ID}:CredentialHygiene-chat-${name}`;
