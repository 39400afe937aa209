import type { NotificationChannel } from '../../core/notification/owner-notices';
import type * as z from '../../core/zod';
import type { MemberCredentials } from '../organizations/member-inventory';
import type { IamStatement } from '../secrets-manager-read-policy';

/** Where the stack is deployed, as CloudFormation resolves it (its values may be tokens until then). */
export interface DeployedIn {
  readonly account: string;
  readonly region: string;
  /** The stack's name: resources a channel names (its topics) carry it, so two stacks in an account never meet. */
  readonly stackName: string;
  /** An ARN of this account, region and partition, from its parts (CDK's `formatArn`). */
  formatArn(parts: { readonly service: string; readonly resource: string; readonly resourceName?: string }): string;
}

/**
 * One optional notification channel beyond the owners' email and SMS, declared once in its folder's `channel.ts`: its
 * id, its settings (its key and schema in `cdk.json`), the environment a function delivers to it with, the permissions
 * delivering needs, and the metric its delivery problems are counted in. Its delivery is apart, in the folder's
 * `client.ts`. The config, the environment, the stack, the dashboard and the handler factory loop over the registry
 * (registry.ts) and name no channel.
 */
export interface ChannelModule<Settings = unknown, Target = unknown> {
  /** As the lifecycle records what is owed to it (`FindingState.owedTo`): stable. */
  readonly id: string;
  /** Its product's name, as readers know it. */
  readonly name: string;
  /** Its key in `cdk.json`. */
  readonly settingsKey: string;
  readonly settingsSchema: z.ZodMiniType<Settings>;
  readonly defaultSettings: Settings;
  isOn(settings: Settings): boolean;
  /** The variables a function delivers to it with (CloudFormation resolves what `where` holds). */
  environmentOf(settings: Settings, where: DeployedIn): Readonly<Record<string, string>>;
  /** What a function's environment says of it: its target, or undefined when it is off; throws on a bad value. */
  targetOf(environment: Readonly<Record<string, string | undefined>>): Target | undefined;
  /** The permissions delivering needs, on resources of the stack's account and region. */
  grantsFor(
    settings: Settings,
    where: DeployedIn,
  ): readonly { readonly actions: readonly string[]; readonly resources: readonly string[] }[];
  /** The metric its delivery problems are counted in, by kind, with the dashboard graph's title. */
  readonly problemsMetric: { readonly name: string; readonly title: string };
  /**
   * Where the monitor reads member accounts and this channel delivers a member's findings in that account (Security
   * Hub takes a finding only from the account it names): what that takes there. The member read role allows it
   * (`account`: the member's, as CloudFormation resolves it) and each function's session policy names it (`*`).
   */
  memberGrants?(where: { readonly partition: string; readonly account: string }): readonly IamStatement[];
}

/** What a channel's delivery reports: each delivery that did not wholly happen, by kind, never a finding's content. */
export interface ChannelProblemSink {
  problem(problem: { readonly kind: string; readonly findings: number; readonly reason: string }): void;
}

/**
 * Where the monitor reads member accounts: the account it runs in, and a member's read role session, for a channel
 * that delivers a member's findings in that member's account.
 */
export interface MemberAccess {
  ownAccount(): Promise<string>;
  credentialsOf(member: string): Promise<MemberCredentials>;
}

/** A channel's delivery, from its target, in its folder's `client.ts`. */
export type ChannelFactory<Target = unknown> = (
  target: Target,
  problems: ChannelProblemSink,
  members?: MemberAccess,
) => NotificationChannel;

/** A module, as the registry holds them (each with its own settings and target). */
// biome-ignore lint/suspicious/noExplicitAny: each module's settings and target are its own; the registry validates them
export type AnyChannelModule = ChannelModule<any, any>;
