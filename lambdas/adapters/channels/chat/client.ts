import { errorName } from '../../../core/error-name';
import { KeptPromise } from '../../../util/kept-promise';
import { AWS_CLIENT_OPTIONS } from '../../aws-client-options';
import type { ChannelFactory } from '../channel-module';
import type { ChatTarget } from './channel';
import { chatNotification } from './notification';

/**
 * The chat channel: each owner's notice, as AWS Chatbot's custom notification, published to the topic of every chat
 * configuration that lists that owner (or every owner). A message SNS does not take is reported and counted without
 * failing the run: the owners' email and SMS, sent first, are what the run stands on.
 */
export const chatClient: ChannelFactory<readonly ChatTarget[]> = (targets, problems) => {
  const sns = new KeptPromise(async () => {
    const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
    return { client: new SNSClient(AWS_CLIENT_OPTIONS), PublishCommand };
  });
  return {
    id: 'chat',
    async deliver({ notices, report, family }) {
      let messages = 0;
      for (const notice of notices) {
        const topics = targets.filter((target) => target.owners === '*' || target.owners.includes(notice.owner));
        if (topics.length === 0) continue;
        const message = JSON.stringify(chatNotification(notice, report, family));
        for (const target of topics) {
          try {
            const { client, PublishCommand } = await sns.get();
            await client.send(new PublishCommand({ TopicArn: target.topicArn, Message: message }));
            messages += 1;
          } catch (error) {
            problems.problem({
              kind: errorName(error),
              findings: notice.findings,
              reason: 'the chat topic did not take it',
            });
          }
        }
      }
      return { messages };
    },
  };
};
