import { randomUUID } from 'node:crypto';
import { bodyOf, LocalHttpServer } from './local-http-server';
import { type FakeSecret, secretArn } from './monitored-secrets';

export interface RecordedCall {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

const seconds = (date: Date) => date.getTime() / 1000;

/**
 * Secrets Manager (JSON 1.1 protocol) and SNS (Query protocol) on 127.0.0.1, speaking just enough of each for the
 * inventory and the publisher, so that a bundled handler or the CLI can run against them with real SDK clients.
 */
/** Errors to answer instead of the real response: operation name to the error types, one per call, in order. */
export type FaultPlan = Map<string, string[]>;

export class FakeAws {
  private constructor(
    private readonly secretsManager: LocalHttpServer,
    private readonly sns: LocalHttpServer,
    /** Every call either service received, in order. */
    readonly calls: readonly RecordedCall[],
    /** Make the next calls of an operation fail: `faults.set('ListSecrets', ['ThrottlingException'])`; SNS's by their
     * query-protocol code: `faults.set('Publish', ['KMSThrottling'])`. */
    readonly faults: FaultPlan,
  ) {}

  static async start(secrets: readonly FakeSecret[]): Promise<FakeAws> {
    const calls: RecordedCall[] = [];
    const faults: FaultPlan = new Map();
    const byId = new Map(
      secrets.flatMap(
        (secret) =>
          [
            [secret.name, secret],
            [secretArn(secret.name), secret],
          ] as const,
      ),
    );
    const secretsManager = await LocalHttpServer.start(async (request, response) => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace('secretsmanager.', '');
      const input = JSON.parse((await bodyOf(request)) || '{}') as Record<string, unknown>;
      calls.push({ operation: `SecretsManager.${operation}`, input });
      const fault = faults.get(operation)?.shift();
      if (fault !== undefined) {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: fault, message: 'Rate exceeded' }));
        return;
      }
      const value = (secret: FakeSecret) => ({
        ARN: secretArn(secret.name),
        Name: secret.name,
        SecretString: secret.value,
        VersionId: 'v1',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: seconds(secret.createdAt),
      });
      const answers: Record<string, () => unknown> = {
        ListSecrets: () => ({
          SecretList: secrets.map((secret) => ({
            ARN: secretArn(secret.name),
            Name: secret.name,
            CreatedDate: seconds(secret.createdAt),
            LastChangedDate: seconds(secret.createdAt),
            Tags: Object.entries(secret.tags).map(([Key, Value]) => ({ Key, Value })),
          })),
        }),
        BatchGetSecretValue: () => ({
          SecretValues: (input.SecretIdList as string[]).flatMap((id) => {
            const secret = byId.get(id);
            return secret ? [value(secret)] : [];
          }),
          Errors: [],
        }),
        GetSecretValue: () => value(byId.get(input.SecretId as string) as FakeSecret),
        ListSecretVersionIds: () => ({
          Versions: [
            {
              VersionId: 'v1',
              VersionStages: ['AWSCURRENT'],
              CreatedDate: seconds(byId.get(input.SecretId as string)?.createdAt ?? new Date()),
            },
          ],
        }),
      };
      const answer = answers[operation];
      response.writeHead(answer ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(answer ? answer() : { __type: 'UnknownOperationException' }));
    });
    const sns = await LocalHttpServer.start(async (request, response) => {
      const form = Object.fromEntries(new URLSearchParams(await bodyOf(request)));
      calls.push({ operation: `SNS.${form.Action}`, input: form });
      const fault = faults.get(form.Action ?? '')?.shift();
      if (fault !== undefined) {
        response.writeHead(400, { 'content-type': 'text/xml' });
        response.end(
          `<ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${fault}</Code><Message>Rate exceeded</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
    return new FakeAws(secretsManager, sns, calls, faults);
  }

  /** The environment that points the AWS SDK at these servers, with dummy credentials. */
  get environment(): Record<string, string> {
    return {
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: this.secretsManager.url,
      AWS_ENDPOINT_URL_SNS: this.sns.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  async stop(): Promise<void> {
    await Promise.all([this.secretsManager.stop(), this.sns.stop()]);
  }
}
