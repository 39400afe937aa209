import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { ChatSettings } from '../../lambdas/adapters/channels/chat/channel';
import { ChatChannels } from './chat-channels';

/**
 * What an optional channel needs the stack to create for it (topics, configurations), by channel id: one line each.
 * A channel that delivers straight to an AWS API (Security Hub) needs nothing and has no line. The stack loops over
 * the channels that are on and names none.
 */
export const CHANNEL_RESOURCES: Readonly<
  Record<string, (scope: Construct, settings: unknown, context: { readonly key: IKey }) => void>
> = {
  chat: (scope, settings, { key }) => new ChatChannels(scope, 'Chat', { settings: settings as ChatSettings, key }),
};
