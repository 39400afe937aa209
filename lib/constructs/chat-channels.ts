import { Stack } from 'aws-cdk-lib';
import {
  CfnMicrosoftTeamsChannelConfiguration,
  LoggingLevel,
  SlackChannelConfiguration,
} from 'aws-cdk-lib/aws-chatbot';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type ChatSettings, chatTopics } from '../../lambdas/adapters/channels/chat/channel';

export interface ChatChannelsProps {
  readonly settings: ChatSettings;
  /** The stack's key: the chat topics are encrypted with it, and AWS Chatbot may use it to read them. */
  readonly key: IKey;
}

/**
 * The chat configurations of `cdk.json`'s `chat`: one topic each (named as the functions find it, see `chatTopics`),
 * its AWS Chatbot channel configuration (Slack through the L2 construct, Microsoft Teams through the CloudFormation
 * resource), and one channel role with no permissions and an explicit read-only guardrail: CloudFormation's default
 * guardrail is AdministratorAccess, and these channels only receive notices.
 */
export class ChatChannels extends Construct {
  readonly topics: Topic[] = [];

  constructor(scope: Construct, id: string, props: ChatChannelsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Receiving notices needs no permission: the role holds none, and the guardrail caps what a channel member could
    // ever run through it at reading metrics.
    const role = new Role(this, 'ChannelRole', {
      assumedBy: new ServicePrincipal('chatbot.amazonaws.com'),
      description: 'credential-hygiene chat channels: receive notices only',
    });
    const guardrail = ManagedPolicy.fromAwsManagedPolicyName('CloudWatchReadOnlyAccess');
    props.key.grant(new ServicePrincipal('chatbot.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    for (const { kind, index, config, name } of chatTopics(props.settings, stack.stackName)) {
      const topic = new Topic(this, `${kind}Topic${index + 1}`, {
        topicName: name,
        displayName: `credential-hygiene ${kind} channel ${index + 1}`,
        masterKey: props.key,
        enforceSSL: true,
      });
      this.topics.push(topic);
      if (kind === 'slack' && 'workspaceId' in config) {
        new SlackChannelConfiguration(this, `Slack${index + 1}`, {
          slackChannelConfigurationName: name,
          slackWorkspaceId: config.workspaceId,
          slackChannelId: config.channelId,
          notificationTopics: [topic],
          role,
          guardrailPolicies: [guardrail],
          loggingLevel: LoggingLevel.ERROR,
        });
      } else if ('teamId' in config) {
        new CfnMicrosoftTeamsChannelConfiguration(this, `Teams${index + 1}`, {
          configurationName: name,
          iamRoleArn: role.roleArn,
          teamId: config.teamId,
          teamsTenantId: config.tenantId,
          teamsChannelId: config.channelId,
          snsTopicArns: [topic.topicArn],
          guardrailPolicies: [guardrail.managedPolicyArn],
          loggingLevel: 'ERROR',
        });
      }
    }
  }
}
