import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { errorName } from '../../core/error-name';
import type { NotificationChannel, OwnerNotice } from '../../core/notification/owner-notices';
import type { Report } from '../../core/report/report';
import { SafeToShowError } from '../../core/safe-to-show-error';
import { sleep } from '../../util/sleep';
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

const RETRYABLE = /Throttl|InternalError|InternalFailure|ServiceUnavailable|KMSThrottling|TimeoutError/;

export interface SnsFindingsPublisherOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
  /** Attempts per digest on a throttling or server error, on top of the SDK's own retries. Default 3. */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Publishes owner digests to the findings topic, with the attributes subscription filter policies route on:
 * `owner`, `severity` (the worst in the message) and `checks`. Every digest is attempted; if any still fails, it
 * throws a FindingsPublishError naming the owners, never the content.
 */
export class SnsFindingsPublisher {
  private readonly client: SNSClient;
  private readonly topicArn: string;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: SnsFindingsPublisherOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.sleep = options.sleep ?? sleep;
  }

  async publish(digests: readonly OwnerDigest[], run: string): Promise<{ readonly published: number }> {
    const failures: { owner: string; reason: string }[] = [];
    for (const digest of digests) {
      try {
        await this.publishOne(digest, run);
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

  private async publishOne(digest: OwnerDigest, run: string): Promise<void> {
    const command = new PublishCommand({
      TopicArn: this.topicArn,
      Subject: digest.subject,
      Message: digest.message,
      MessageStructure: 'json',
      MessageAttributes: {
        owner: { DataType: 'String', StringValue: digest.owner },
        severity: { DataType: 'String', StringValue: digest.worstSeverity },
        checks: { DataType: 'String.Array', StringValue: JSON.stringify(digest.checks) },
        run: { DataType: 'String', StringValue: run },
      },
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(command);
        return;
      } catch (error) {
        const retryable = error instanceof Error && RETRYABLE.test(error.name);
        if (!retryable || attempt >= this.maxAttempts) throw error;
        await this.sleep(200 * 2 ** attempt);
      }
    }
  }
}

/**
 * Owners hear through the findings topic: each notice rendered as email and SMS (`snsDigests`) and published with the
 * attributes the subscriptions' filter policies route on.
 */
export class SnsChannel implements NotificationChannel {
  constructor(
    private readonly publisher: Pick<SnsFindingsPublisher, 'publish'>,
    private readonly maxMessageBytes?: number,
  ) {}

  async deliver({
    notices,
    report,
    run,
  }: {
    readonly notices: readonly OwnerNotice[];
    readonly report: Report;
    readonly run: string;
  }): Promise<{ readonly messages: number }> {
    const digests = snsDigests(notices, report, {
      run,
      ...(this.maxMessageBytes !== undefined && { maxMessageBytes: this.maxMessageBytes }),
    });
    const { published } = await this.publisher.publish(digests, run);
    return { messages: published };
  }
}
