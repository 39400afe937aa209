import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { FindingsSubscription } from '../../shared/owner-recipients';
import { eachConcurrently } from '../../util/concurrency';

/** The protocols the stack owns on the findings topic: an email or SMS subscription there is the configuration's. */
const MANAGED_PROTOCOLS: ReadonlySet<string> = new Set(['email', 'sms']);
/** SNS's rate for Subscribe and its kin is 100 a second; ten at a time stays well inside it. */
const CONCURRENCY = 10;
/** What SNS answers for a subscription's ARN until its address confirms it: it can be neither changed nor removed. */
const PENDING = 'PendingConfirmation';

export interface SubscriptionSyncOutcome {
  readonly subscribed: number;
  readonly updated: number;
  readonly unsubscribed: number;
  /** Subscriptions that could not be changed yet: awaiting their address's confirmation. */
  readonly pending: number;
}

/**
 * Keeps the findings topic's email and SMS subscriptions in step with the configuration: subscribes the addresses
 * that are missing, with their filter policies; updates a filter policy that changed; unsubscribes the addresses no
 * longer configured. Subscriptions of other protocols (a queue, a function) are someone else's and left alone. Run by
 * the stack at deploy time, so the stack holds one resource however many owners there are.
 */
export async function syncSubscriptions(
  client: Pick<SNSClient, 'send'>,
  topicArn: string,
  desired: readonly FindingsSubscription[],
): Promise<SubscriptionSyncOutcome> {
  const existing = await managedSubscriptions(client, topicArn);
  const wanted = new Map(desired.map((each) => [keyOf(each.protocol, each.endpoint), each]));
  let subscribed = 0;
  let updated = 0;
  let unsubscribed = 0;
  let pending = 0;
  await eachConcurrently(desired, CONCURRENCY, async (subscription) => {
    const found = existing.get(keyOf(subscription.protocol, subscription.endpoint));
    const filterPolicy = subscription.filterPolicy ? JSON.stringify(subscription.filterPolicy) : undefined;
    if (found === undefined) {
      await client.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: subscription.protocol,
          Endpoint: subscription.endpoint,
          ReturnSubscriptionArn: true,
          ...(filterPolicy !== undefined && { Attributes: { FilterPolicy: filterPolicy } }),
        }),
      );
      subscribed += 1;
      return;
    }
    if (found === PENDING) {
      pending += 1;
      return;
    }
    const attributes = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: found }));
    const current = attributes.Attributes?.FilterPolicy;
    if (samePolicy(current, filterPolicy)) return;
    await client.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: found,
        AttributeName: 'FilterPolicy',
        // An empty policy lets every message through: the platform team's email.
        AttributeValue: filterPolicy ?? '{}',
      }),
    );
    updated += 1;
  });
  const unwanted = [...existing].filter(([key]) => !wanted.has(key));
  await eachConcurrently(unwanted, CONCURRENCY, async ([, subscriptionArn]) => {
    if (subscriptionArn === PENDING) {
      pending += 1;
      return;
    }
    await client.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    unsubscribed += 1;
  });
  return { subscribed, updated, unsubscribed, pending };
}

/** The topic's email and SMS subscriptions, by protocol and endpoint: their ARNs (or `PendingConfirmation`). */
async function managedSubscriptions(client: Pick<SNSClient, 'send'>, topicArn: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    for (const subscription of page.Subscriptions ?? []) {
      const { Protocol, Endpoint, SubscriptionArn } = subscription;
      if (Protocol === undefined || Endpoint === undefined || SubscriptionArn === undefined) continue;
      if (MANAGED_PROTOCOLS.has(Protocol)) found.set(keyOf(Protocol, Endpoint), SubscriptionArn);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

/** An email address is matched case-insensitively, as a mail system would; a phone number as written (E.164). */
function keyOf(protocol: string, endpoint: string): string {
  return `${protocol}:${protocol === 'email' ? endpoint.toLowerCase() : endpoint}`;
}

function samePolicy(current: string | undefined, wanted: string | undefined): boolean {
  const normal = (policy: string | undefined) => (policy === undefined || policy === '{}' ? '' : canonical(policy));
  return normal(current) === normal(wanted);
}

/** A policy's JSON with its keys in order, so that one SNS wrote back in another order is still the same. */
function canonical(policy: string): string {
  try {
    const parsed = JSON.parse(policy) as Record<string, unknown>;
    return JSON.stringify(Object.fromEntries(Object.entries(parsed).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  } catch {
    return policy;
  }
}
