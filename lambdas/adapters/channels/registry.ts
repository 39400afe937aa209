import type { NotificationChannel } from '../../core/notification/owner-notices';
import * as z from '../../core/zod';
import type { IamStatement } from '../secrets-manager-read-policy';
import type { AnyChannelModule, ChannelProblemSink, MemberAccess } from './channel-module';
import { chat } from './chat/channel';
import { chatClient } from './chat/client';
import { securityHub } from './security-hub/channel';
import { securityHubClient } from './security-hub/client';

/** The optional channels this build can deliver to: one line each, with the factory of its delivery. */
export const CHANNELS: readonly {
  readonly channel: AnyChannelModule;
  readonly factory: (target: never, problems: ChannelProblemSink, members?: MemberAccess) => NotificationChannel;
}[] = [
  { channel: securityHub, factory: securityHubClient as never },
  { channel: chat, factory: chatClient as never },
];

/** Each channel's settings under its key: the fields they add to `cdk.json`, each with its default. */
export const channelSettingsShape = Object.fromEntries(
  CHANNELS.map(({ channel }) => [channel.settingsKey, z._default(channel.settingsSchema, channel.defaultSettings)]),
);

/** Each channel's settings, by its settings key. */
export type ChannelSettings = Readonly<Record<string, unknown>>;

/** The channels `settings` turn on. */
export function channelsOn(settings: ChannelSettings): AnyChannelModule[] {
  return CHANNELS.flatMap(({ channel }) => {
    const own = settings[channel.settingsKey] ?? channel.defaultSettings;
    return channel.isOn(own) ? [channel] : [];
  });
}

/** The channel modules a function's targets name (see `channelTargetsOf`). */
export function channelsOfTargets(targets: ReadonlyMap<string, unknown>): AnyChannelModule[] {
  return CHANNELS.flatMap(({ channel }) => (targets.has(channel.id) ? [channel] : []));
}

/** Each channel a function's environment names, with its target. */
export function channelTargetsOf(
  environment: Readonly<Record<string, string | undefined>>,
): ReadonlyMap<string, unknown> {
  return new Map(
    CHANNELS.flatMap(({ channel }) => {
      const target = channel.targetOf(environment);
      return target === undefined ? [] : [[channel.id, target] as const];
    }),
  );
}

/** The deliveries of the channels with targets, each reporting its problems to `problemsOf` its channel. */
export function buildChannels(
  targets: ReadonlyMap<string, unknown>,
  problemsOf: (channel: AnyChannelModule) => ChannelProblemSink,
  members?: MemberAccess,
): NotificationChannel[] {
  return CHANNELS.flatMap(({ channel, factory }) =>
    targets.has(channel.id) ? [factory(targets.get(channel.id) as never, problemsOf(channel), members)] : [],
  );
}

/** What the channels on need in a member account, each statement once (see `ChannelModule.memberGrants`). */
export function channelMemberGrants(
  on: readonly AnyChannelModule[],
  where: { readonly partition: string; readonly account: string },
): IamStatement[] {
  return on.flatMap((channel) => channel.memberGrants?.(where) ?? []);
}
