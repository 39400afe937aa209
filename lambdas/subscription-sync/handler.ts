import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import { AWS_CLIENT_OPTIONS } from '../adapters/aws-client-options';
import { syncSubscriptions } from '../adapters/sns/subscription-sync';
import * as z from '../core/zod';

/** The custom resource's properties, as the stack writes them (`FindingsNotifications`). */
const propertiesSchema = z.object({
  TopicArn: z.string().check(z.regex(/^arn:aws[a-z-]*:sns:/, { error: 'must be an SNS topic ARN' })),
  Subscriptions: z.array(
    z.object({
      protocol: z.enum(['email', 'sms']),
      endpoint: z.string().check(z.minLength(1)),
      filterPolicy: z.optional(z.record(z.string(), z.array(z.string()))),
    }),
  ),
});

const eventSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  PhysicalResourceId: z.optional(z.string()),
  ResourceProperties: propertiesSchema,
});

const logger = new Logger({ serviceName: 'subscription-sync' });
let client: SNSClient | undefined;

/**
 * The findings topic's subscriptions, kept in step with cdk.json's owners and platform team at deploy time (a custom
 * resource's `onEvent`, run by CDK's provider framework): on create and update, what is configured; on delete, none.
 * Addresses are logged as counts only.
 */
export async function handler(event: unknown): Promise<{ PhysicalResourceId: string }> {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new Error('subscription sync: the event is not the custom resource the stack declares');
  const { RequestType, ResourceProperties } = parsed.data;
  client ??= new SNSClient(AWS_CLIENT_OPTIONS);
  const desired = RequestType === 'Delete' ? [] : ResourceProperties.Subscriptions;
  const outcome = await syncSubscriptions(client, ResourceProperties.TopicArn, desired);
  logger.info('findings topic subscriptions in step', { requestType: RequestType, ...outcome });
  return { PhysicalResourceId: parsed.data.PhysicalResourceId ?? `${ResourceProperties.TopicArn}/subscriptions` };
}
