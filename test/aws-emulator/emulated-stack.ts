import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { CloudFormationTemplate, SynthesizedStack } from '../../bench/synthesized-bundles';
import type { CheckRunResponse } from '../../lambdas/shared/check-run';
import { REPO_ROOT } from '../support/run-cli';
import type { MotoServer, RecordedRequest } from './moto-server';

export const ACCOUNT_ID = '123456789012';
/** The custom resource function that subscribes the configured addresses at deploy time. */
export const SUBSCRIPTION_SYNC = 'subscription-sync';
export const REGION = 'eu-west-2';

const RUNNER = `
const { handler } = require(process.argv[2]);
handler(JSON.parse(process.argv[3])).then(
  (result) => process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n'),
  (error) => { process.stdout.write('\\nFAILED ' + error.name + ': ' + error.message + '\\n'); process.exitCode = 1; },
);`;

/** What one subscription of the findings topic received: the SNS envelope SQS holds, as an owner's address would. */
export interface DeliveredMessage {
  readonly subject: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Invocation {
  readonly family: string;
  readonly code: number;
  readonly result?: CheckRunResponse;
  readonly failure?: string;
  readonly output: string;
  /** Every request the function sent to the emulator. */
  readonly requests: readonly RecordedRequest[];
}

interface Physical {
  readonly ref: string;
  readonly arn: string;
}

type Intrinsic = Record<string, unknown>;

/**
 * The synthesized stack stood up in moto: what CloudFormation would create for the functions to use (the KMS key,
 * the findings topic with its filtered subscriptions, each delivered to an SQS queue so what an address would receive
 * can be read, the lifecycle table with the template's key schema, the fingerprint-key secret), and the bundles
 * `cdk synth` produced, invoked in child processes with the environment the template gives each function.
 */
export class EmulatedStack {
  readonly secretsManager: SecretsManagerClient;
  private readonly sqs: SQSClient;
  /** Queue URL by the subscription's endpoint (an email address or a phone number). */
  private readonly queues = new Map<string, string>();
  private readonly physical = new Map<string, Physical>();
  /** What ran at deploy time (the subscription sync), with the calls it made: evaluated against its role too. */
  readonly deployInvocations: Invocation[] = [];

  private constructor(
    readonly moto: MotoServer,
    readonly synthesized: SynthesizedStack,
    private readonly runnerFile: string,
  ) {
    const client = { endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS };
    this.secretsManager = new SecretsManagerClient(client);
    this.sqs = new SQSClient(client);
  }

  get template(): CloudFormationTemplate {
    return this.synthesized.template;
  }

  static async deploy(moto: MotoServer, synthesized: SynthesizedStack, workDir: string): Promise<EmulatedStack> {
    const { writeFileSync } = await import('node:fs');
    const runnerFile = join(workDir, 'runner.js');
    writeFileSync(runnerFile, RUNNER);
    const stack = new EmulatedStack(moto, synthesized, runnerFile);
    await stack.create();
    return stack;
  }

  private async create(): Promise<void> {
    const client = { endpoint: this.moto.endpoint, region: REGION, credentials: CREDENTIALS };
    const kms = new KMSClient(client);
    const sns = new SNSClient(client);
    const dynamodb = new DynamoDBClient(client);
    const resources = Object.entries(this.template.Resources);
    const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);

    for (const [id] of ofType('AWS::KMS::Key')) {
      const key = await kms.send(new CreateKeyCommand({ Description: id }));
      const keyId = key.KeyMetadata?.KeyId as string;
      this.physical.set(id, { ref: keyId, arn: key.KeyMetadata?.Arn as string });
    }
    for (const [id, resource] of ofType('AWS::SNS::Topic')) {
      // A topic the template names (a chat configuration's, which the functions find by name) keeps its name.
      const named = (resource.Properties as { TopicName?: unknown } | undefined)?.TopicName;
      const topic = await sns.send(
        new CreateTopicCommand({ Name: typeof named === 'string' ? named : `CredentialHygiene-${id}` }),
      );
      this.physical.set(id, { ref: topic.TopicArn as string, arn: topic.TopicArn as string });
    }
    for (const [id, resource] of ofType('AWS::DynamoDB::Table')) {
      const properties = resource.Properties as Record<string, unknown>;
      const name = `CredentialHygiene-${id}`;
      await dynamodb.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: properties.KeySchema as CreateTableCommandInput['KeySchema'],
          AttributeDefinitions: properties.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
          BillingMode: properties.BillingMode as CreateTableCommandInput['BillingMode'],
        }),
      );
      this.physical.set(id, { ref: name, arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/${name}` });
    }
    for (const [id, resource] of ofType('AWS::SecretsManager::Secret')) {
      const generate = (resource.Properties as { GenerateSecretString?: { PasswordLength?: number } })
        .GenerateSecretString;
      const created = await this.secretsManager.send(
        new CreateSecretCommand({
          Name: `CredentialHygiene-${id}`,
          SecretString: randomBytes(48)
            .toString('base64url')
            .slice(0, generate?.PasswordLength ?? 64),
        }),
      );
      this.physical.set(id, { ref: created.ARN as string, arn: created.ARN as string });
    }
    for (const [id, resource] of resources) {
      if (this.physical.has(id)) continue;
      // Resources the functions never call (log groups, the dead-letter queue, roles): an ARN of their kind.
      const service = resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown';
      this.physical.set(id, { ref: id, arn: `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${id}` });
    }
    // What CloudFormation does at deploy time for the findings topic's subscriptions: the custom resource's function
    // runs (the bundle, with the properties the template gives it), and subscribes the configured addresses.
    for (const [, resource] of ofType('Custom::FindingsSubscriptions')) {
      const run = await this.invoke(SUBSCRIPTION_SYNC, {
        RequestType: 'Create',
        ResourceProperties: this.resolve(resource.Properties),
      });
      if (run.code !== 0) throw new Error(`the subscription sync failed: ${run.output}`);
      this.deployInvocations.push(run);
    }
    // Each email and SMS subscription moto now holds (on any topic), and each the template declares, delivered to a
    // queue with the same filter policy instead, so that what the address would receive can be read.
    const declared = ofType('AWS::SNS::Subscription').map(([, resource]) => {
      const properties = resource.Properties as Record<string, unknown>;
      return {
        topicArn: this.resolve(properties.TopicArn) as string,
        protocol: String(properties.Protocol),
        endpoint: String(properties.Endpoint),
        filterPolicy: properties.FilterPolicy === undefined ? undefined : JSON.stringify(properties.FilterPolicy),
      };
    });
    const synced: typeof declared = [];
    for (const [id] of ofType('AWS::SNS::Topic')) {
      const topicArn = this.arnOf(id);
      const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
      for (const subscription of listed.Subscriptions ?? []) {
        if (subscription.Protocol !== 'email' && subscription.Protocol !== 'sms') continue;
        const attributes = await sns.send(
          new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription.SubscriptionArn }),
        );
        synced.push({
          topicArn,
          protocol: subscription.Protocol,
          endpoint: subscription.Endpoint as string,
          filterPolicy: attributes.Attributes?.FilterPolicy || undefined,
        });
      }
    }
    for (const { topicArn, protocol, endpoint, filterPolicy } of [...declared, ...synced]) {
      // The alarms topic's subscriptions receive no findings; only the findings topic's are mirrored.
      if (!this.isFindingsTopic(topicArn)) continue;
      const queueName = `to-${protocol}-${endpoint.replace(/[^\w-]/g, '_')}`;
      const queue = await this.sqs.send(new CreateQueueCommand({ QueueName: queueName }));
      const attributes = await this.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: attributes.Attributes?.QueueArn,
          Attributes: { ...(filterPolicy !== undefined && { FilterPolicy: filterPolicy }) },
        }),
      );
      this.queues.set(`${protocol}:${endpoint}`, queue.QueueUrl as string);
    }
  }

  /** Whether a topic is the one the functions publish findings to (their FINDINGS_TOPIC_ARN). */
  private isFindingsTopic(topicArn: string): boolean {
    return Object.values(this.synthesized.functions).some(
      (fn) => this.resolve(fn.variables.FINDINGS_TOPIC_ARN) === topicArn,
    );
  }

  /** A CloudFormation value with its intrinsic functions resolved against what was created here. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((each) => this.resolve(each));
    if (value === null || typeof value !== 'object') return value;
    const object = value as Intrinsic;
    const [name] = Object.keys(object);
    const argument = name === undefined ? undefined : object[name];
    switch (name) {
      case 'Ref':
        return this.ref(String(argument));
      case 'Fn::GetAtt': {
        const [id, attribute] = argument as [string, string];
        const physical = this.physical.get(id);
        if (!physical) throw new Error(`Fn::GetAtt: no resource ${id}`);
        if (attribute === 'Arn') return physical.arn;
        throw new Error(`Fn::GetAtt: ${id}.${attribute} is not emulated`);
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return parts.map((part) => String(this.resolve(part))).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [number, unknown];
        return (this.resolve(list) as unknown[])[index];
      }
      case 'Fn::Split': {
        const [separator, text] = argument as [string, unknown];
        return String(this.resolve(text)).split(separator);
      }
      default:
        return Object.fromEntries(Object.entries(object).map(([key, each]) => [key, this.resolve(each)]));
    }
  }

  private ref(id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT_ID,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const value = pseudo[id] ?? this.physical.get(id)?.ref;
    if (value === undefined) throw new Error(`Ref: no resource ${id}`);
    return value;
  }

  /** The physical ARN of a template resource. */
  arnOf(logicalId: string): string {
    const physical = this.physical.get(logicalId);
    if (!physical) throw new Error(`no resource ${logicalId}`);
    return physical.arn;
  }

  /** The function's environment as the template gives it, resolved, pointed at the emulator. */
  environmentOf(family: string, extra: Record<string, string> = {}): Record<string, string> {
    const fn = this.synthesized.functions[family];
    if (!fn) throw new Error(`no function ${family}`);
    const variables = this.resolve(fn.variables) as Record<string, string>;
    return {
      PATH: process.env.PATH ?? '',
      // The Lambda runtime provides the AWS SDK, so the bundles leave it out; here it comes from node_modules.
      NODE_PATH: join(REPO_ROOT, 'node_modules'),
      ...variables,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL: this.moto.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_NAME: `CredentialHygiene-${fn.logicalId}`,
      ...extra,
    };
  }

  /** Invokes a function's bundle with `event`, recording every request it sends to the emulator. */
  async invoke(family: string, event: unknown, extra: Record<string, string> = {}): Promise<Invocation> {
    const fn = this.synthesized.functions[family];
    if (!fn) throw new Error(`no function ${family}`);
    const env = this.environmentOf(family, extra);
    const { value, requests } = await this.moto.recording(
      () =>
        new Promise<Omit<Invocation, 'requests'>>((resolve) => {
          execFile(
            process.execPath,
            [this.runnerFile, fn.bundle, JSON.stringify(event)],
            { env, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
              const line = stdout.split('\n').find((each) => each.startsWith('RESULT '));
              const failed = stdout.split('\n').find((each) => each.startsWith('FAILED '));
              resolve({
                family,
                code: error ? 1 : 0,
                ...(line && { result: JSON.parse(line.slice('RESULT '.length)) as CheckRunResponse }),
                ...(failed && { failure: failed.slice('FAILED '.length) }),
                output: `${stdout}${stderr}`,
              });
            },
          );
        }),
    );
    return { ...value, requests };
  }

  /** Everything delivered to a subscription since the last call (`email:press@…`, `sms:+44…`), and removes it. */
  async drain(subscription: string): Promise<DeliveredMessage[]> {
    const queueUrl = this.queues.get(subscription);
    if (!queueUrl) throw new Error(`no subscription ${subscription}; known: ${[...this.queues.keys()].join(', ')}`);
    const delivered: DeliveredMessage[] = [];
    for (;;) {
      const page = await this.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      const messages = page.Messages ?? [];
      if (messages.length === 0) return delivered;
      for (const message of messages) {
        const envelope = JSON.parse(message.Body ?? '{}') as {
          Subject?: string;
          Message?: string;
          MessageAttributes?: Record<string, { Value: string }>;
        };
        delivered.push({
          subject: envelope.Subject ?? '',
          message: envelope.Message ?? '',
          attributes: Object.fromEntries(
            Object.entries(envelope.MessageAttributes ?? {}).map(([name, { Value }]) => [name, Value]),
          ),
        });
      }
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle as string,
          })),
        }),
      );
    }
  }

  /** All subscriptions, as `protocol:endpoint`. */
  get subscriptions(): string[] {
    return [...this.queues.keys()];
  }

  /** Creates a monitored secret (or a new version of it), its current version dated `createdAt`. */
  async putSecret(secret: {
    readonly name: string;
    readonly value: string;
    readonly tags?: Readonly<Record<string, string>>;
    readonly createdAt: Date;
    readonly kmsKeyId?: string;
  }): Promise<string> {
    let arn: string;
    try {
      const described = await this.secretsManager.send(new DescribeSecretCommand({ SecretId: secret.name }));
      await this.secretsManager.send(new PutSecretValueCommand({ SecretId: secret.name, SecretString: secret.value }));
      arn = described.ARN as string;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      const created = await this.secretsManager.send(
        new CreateSecretCommand({
          Name: secret.name,
          SecretString: secret.value,
          ...(secret.kmsKeyId !== undefined && { KmsKeyId: secret.kmsKeyId }),
          Tags: Object.entries(secret.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      arn = created.ARN as string;
    }
    await this.moto.setVersionCreated(secret.name, secret.createdAt);
    return arn;
  }

  /** Tags and encryption key of every secret, by ARN and by name: what IAM conditions on a secret see. */
  async secretFacts(): Promise<Map<string, { arn: string; tags: Record<string, string>; kmsKeyId?: string }>> {
    const { ListSecretsCommand } = await import('@aws-sdk/client-secrets-manager');
    const facts = new Map<string, { arn: string; tags: Record<string, string>; kmsKeyId?: string }>();
    let token: string | undefined;
    do {
      const page = await this.secretsManager.send(new ListSecretsCommand({ NextToken: token }));
      for (const secret of page.SecretList ?? []) {
        const fact = {
          arn: secret.ARN as string,
          tags: Object.fromEntries((secret.Tags ?? []).map((tag) => [tag.Key as string, tag.Value as string])),
          ...(secret.KmsKeyId !== undefined && { kmsKeyId: secret.KmsKeyId }),
        };
        facts.set(fact.arn, fact);
        facts.set(secret.Name as string, fact);
      }
      token = page.NextToken || undefined;
    } while (token);
    return facts;
  }
}

const CREDENTIALS = { accessKeyId: 'AKIAEMULATOR000000', secretAccessKey: 'emulator-secret-access-key' };
