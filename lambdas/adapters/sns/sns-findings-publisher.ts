import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { errorName } from '../../core/error-name';
import type { NotificationChannel, OwnerNotice } from '../../core/notification/owner-notices';
import type { Report } from '../../core/report/report';
import { SafeToShowError } from '../../core/safe-to-show-error';
import { type OwnerDigest, snsDigests } from './sns-digests';

/** Some owners' digests could not be published; the run must fail so that the failure is seen and retried. */
export class FindingsPublishError extends SafeToShowError {
  override readonly name = 'FindingsPublishError';
  constructor(
    readonly failedOwners: readonly string[],
    reasons: readonly string[],
    total: number,
  ) {
    super(
      `${failedOwners.length} of ${total} finding digests could not be published (owners: ${failedOwners.join(', ')}; ${[...new Set(reasons)].join(', ')})`,
    );
  }
}

/**
 * SNS's errors that are throttling, though the SDK does not count them so: a topic encrypted with a customer key is
 * published through KMS, whose request quota SNS reports as `KMSThrottlingException` (HTTP 400). Every other
 * throttling and server error is retried by the SDK as it is.
 */
const THROTTLING_THE_SDK_DOES_NOT_KNOW = new Set(['KMSThrottlingException']);
const CLASSIFIER = 'credentialHygieneKmsThrottlingIsThrottling';

/**
 * Marks KMS throttling as throttling for the SDK's retry strategy, which then retries it with its own attempts and
 * throttling backoff: one retry policy, the client's, and none stacked on top of it. Added once per client.
 */
function classifyKmsThrottling(client: SNSClient): void {
  if (client.middlewareStack.identify().some((entry) => entry.startsWith(CLASSIFIER))) return;
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && THROTTLING_THE_SDK_DOES_NOT_KNOW.has(error.name)) {
          Object.assign(error, { $retryable: { throttling: true } });
        }
        throw error;
      }
    },
    // Inside the retry middleware (same step, lower priority), so the retry strategy sees the error as marked.
    { step: 'finalizeRequest', priority: 'low', name: CLASSIFIER },
  );
}

export interface SnsFindingsPublisherOptions {
  /** Its retry settings (`maxAttempts`, `retryStrategy`) are the publisher's: throttling is retried by the SDK. */
  readonly client: SNSClient;
  readonly topicArn: string;
}

/**
 * Publishes owner digests to the findings topic, with the attributes subscription filter policies route on:
 * `owner`, `severity` (the worst in the message) and `checks`. Every digest is attempted; if any still fails, it
 * throws a FindingsPublishError naming the owners, never the content.
 */
export class SnsFindingsPublisher {
  private readonly client: SNSClient;
  private readonly topicArn: string;

  constructor(options: SnsFindingsPublisherOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
    classifyKmsThrottling(this.client);
  }

  async publish(digests: readonly OwnerDigest[], family: string): Promise<{ readonly published: number }> {
    const failures: { owner: string; reason: string }[] = [];
    for (const digest of digests) {
      try {
        await this.publishOne(digest, family);
      } catch (error) {
        failures.push({ owner: digest.owner, reason: errorName(error) });
      }
    }
    if (failures.length > 0) {
      throw new FindingsPublishError(
        [...new Set(failures.map((failure) => failure.owner))],
        failures.map((failure) => failure.reason),
        digests.length,
      );
    }
    return { published: digests.length };
  }

  private async publishOne(digest: OwnerDigest, family: string): Promise<void> {
    const command = new PublishCommand({
      TopicArn: this.topicArn,
      Subject: digest.subject,
      Message: digest.message,
      MessageStructure: 'json',
      MessageAttributes: {
        owner: { DataType: 'String', StringValue: digest.owner },
        severity: { DataType: 'String', StringValue: digest.worstSeverity },
        checks: { DataType: 'String.Array', StringValue: JSON.stringify(digest.checks) },
        // The attribute subscriptions may filter on keeps its first name, `run`.
        run: { DataType: 'String', StringValue: family },
      },
    });
    await this.client.send(command);
  }
}

/**
 * Owners hear through the findings topic: each notice rendered as email and SMS (`snsDigests`) and published with the
 * attributes the subscriptions' filter policies route on.
 */
export class SnsChannel implements NotificationChannel {
  readonly id = 'sns';
  constructor(
    private readonly publisher: Pick<SnsFindingsPublisher, 'publish'>,
    private readonly maxMessageBytes?: number,
  ) {}

  async deliver({
    notices,
    report,
    family,
  }: {
    readonly notices: readonly OwnerNotice[];
    readonly report: Report;
    readonly family: string;
  }): Promise<{ readonly messages: number }> {
    const digests = snsDigests(notices, report, {
      family,
      ...(this.maxMessageBytes !== undefined && { maxMessageBytes: this.maxMessageBytes }),
    });
    const { published } = await this.publisher.publish(digests, family);
    return { messages: published };
  }
}
