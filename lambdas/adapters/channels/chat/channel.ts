import * as z from '../../../core/zod';
import { OWNER_ID } from '../../../shared/owner-recipients';
import type { ChannelModule, DeployedIn } from '../channel-module';

const TARGETS_VARIABLE = 'CHAT_TARGETS';

const owners = z.union(
  [z.literal('*'), z.array(z.string().check(z.regex(OWNER_ID, { error: 'must be owner ids' }))).check(z.minLength(1))],
  {
    error: 'must be "*" (every owner) or a list of owner ids',
  },
);
const slack = z.strictObject(
  {
    workspaceId: z
      .string()
      .check(z.regex(/^[0-9A-Z]{1,255}$/, { error: 'must be a Slack workspace id such as T07EA123LEP' })),
    channelId: z
      .string()
      .check(z.regex(/^[A-Za-z0-9]{1,255}$/, { error: 'must be a Slack channel id such as C07EZ1ABC23' })),
    owners,
  },
  { error: 'must be an object with workspaceId, channelId and owners' },
);
const uuid = (what: string) =>
  z.string().check(
    z.regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
      error: `must be a Microsoft Teams ${what} (a GUID)`,
    }),
  );
/** CloudFormation's pattern for a Teams channel id: the id as a channel's link holds it, URL-encoded. */
const TEAMS_CHANNEL_ID = /^([a-zA-Z0-9-_=+/.,])*%3[aA]([a-zA-Z0-9-_=+/.,])*%40([a-zA-Z0-9-_=+/.,])*$/;
/**
 * A Teams channel id as Teams shows it (`19:abc@thread.tacv2`) or as its link holds it (`19%3aabc%40thread.tacv2`):
 * kept in the link's form, which is the one AWS Chatbot's configuration takes.
 */
const teamsChannelId = z.pipe(
  z
    .string({ error: 'must be a Teams channel id' })
    .check(z.minLength(1, { error: 'must be a Teams channel id' }), z.maxLength(255)),
  z.transform((given, context) => {
    let decoded = given;
    try {
      decoded = decodeURIComponent(given);
    } catch {
      // not URL-encoded text: checked as given below
    }
    const encoded = encodeURIComponent(decoded);
    if (TEAMS_CHANNEL_ID.test(encoded)) return encoded;
    context.issues.push({
      code: 'custom',
      input: given,
      message: "must be a Teams channel id as in the channel's link, such as 19:abc123@thread.tacv2",
    });
    return z.NEVER;
  }),
);
const teams = z.strictObject(
  {
    teamId: uuid('team id'),
    tenantId: uuid('tenant id'),
    channelId: teamsChannelId,
    owners,
  },
  { error: 'must be an object with teamId, tenantId, channelId and owners' },
);
const settingsSchema = z.strictObject(
  {
    slack: z._default(
      z.array(slack, { error: 'must be a list of Slack channel configurations' }).check(z.maxLength(20)),
      [],
    ),
    teams: z._default(
      z.array(teams, { error: 'must be a list of Teams channel configurations' }).check(z.maxLength(20)),
      [],
    ),
  },
  { error: 'must be an object with slack and teams lists' },
);
export type ChatSettings = z.infer<typeof settingsSchema>;

/** One chat configuration's topic and the owners whose notices go to it (`*`: every owner). */
export interface ChatTarget {
  readonly topicArn: string;
  readonly owners: readonly string[] | '*';
}

/**
 * The topics of a stack's chat configurations, in order (Slack's, then Teams'): AWS Chatbot subscribes itself to a
 * topic, so a subscription cannot route owners; each configuration has a topic, and a function publishes an owner's
 * notice to the topics of the configurations that list that owner.
 */
export function chatTopics(settings: ChatSettings, stackName: string) {
  return [
    ...settings.slack.map((config, index) => ({
      kind: 'slack' as const,
      index,
      config,
      name: `${stackName}-chat-slack-${index + 1}`,
    })),
    ...settings.teams.map((config, index) => ({
      kind: 'teams' as const,
      index,
      config,
      name: `${stackName}-chat-teams-${index + 1}`,
    })),
  ];
}

const topicArnOf = (where: DeployedIn, name: string) => where.formatArn({ service: 'sns', resource: name });

const targetsSchema = z.array(
  z.strictObject({
    topicArn: z.string().check(z.regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/)),
    owners: z.union([z.literal('*'), z.array(z.string())]),
  }),
);

/**
 * Slack channels and Microsoft Teams channels, through AWS Chatbot ("Amazon Q Developer in chat applications"): each
 * owner's notice, as a custom notification, to the channels whose configuration lists that owner. Off by default
 * (`chat` in `cdk.json`); the workspace or tenant is authorised once in the AWS console first (see the README).
 */
export const chat: ChannelModule<ChatSettings, readonly ChatTarget[]> = {
  id: 'chat',
  name: 'Slack and Microsoft Teams (AWS Chatbot)',
  settingsKey: 'chat',
  settingsSchema: settingsSchema as unknown as z.ZodMiniType<ChatSettings>,
  defaultSettings: { slack: [], teams: [] },
  isOn: (settings) => settings.slack.length + settings.teams.length > 0,
  environmentOf: (settings, where) => ({
    [TARGETS_VARIABLE]: JSON.stringify(
      chatTopics(settings, where.stackName).map(({ name, config }) => ({
        topicArn: topicArnOf(where, name),
        owners: config.owners,
      })),
    ),
  }),
  targetOf: (environment) => {
    const text = environment[TARGETS_VARIABLE];
    if (text === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new RangeError(`${TARGETS_VARIABLE}: must be JSON`);
    }
    const checked = targetsSchema.safeParse(parsed);
    if (!checked.success) throw new RangeError(`${TARGETS_VARIABLE}: must be a list of { topicArn, owners }`);
    return checked.data;
  },
  grantsFor: (settings, where) => [
    {
      actions: ['sns:Publish'],
      resources: chatTopics(settings, where.stackName).map(({ name }) => topicArnOf(where, name)),
    },
  ],
  problemsMetric: { name: 'ChatDeliveryProblems', title: 'Chat notices not delivered, by kind' },
};
