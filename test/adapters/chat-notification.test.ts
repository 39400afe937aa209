import { chat } from '../../lambdas/adapters/channels/chat/channel';
import { chatClient } from '../../lambdas/adapters/channels/chat/client';
import { chatNotification, chatText, MAX_CHAT_MESSAGE_BYTES } from '../../lambdas/adapters/channels/chat/notification';
import { finding } from '../../lambdas/core/finding';
import { ownerNotices } from '../../lambdas/core/notification/owner-notices';
import { buildReport } from '../../lambdas/core/report/report';
import type { AccountResult } from '../../lambdas/core/scan';
import { customNotificationSchema } from '../support/chat-notification-schema';

const account = (id: string, owner: string): AccountResult => ({
  id,
  platform: 'x.com',
  owner,
  status: 'at-risk',
  worstSeverity: 'high',
  checks: {},
});
const problem = (accountId: string, title = 'No evidence of a second factor') =>
  finding({
    accountId,
    check: 'mfa',
    kind: 'no-evidence',
    severity: 'high',
    title,
    detail: 'D.',
    remediation: 'Fix it.',
  });

function noticeFor(ids: string[], owner = 'press-office') {
  const report = buildReport(
    { accounts: ids.map((id) => account(id, owner)), findings: ids.map((id) => problem(id)) },
    new Date('2026-12-05T06:00:00Z'),
  );
  const [notice] = ownerNotices(report);
  if (!notice) throw new Error('no notice');
  return { notice, report };
}

describe("Chat: AWS Chatbot's custom notification", () => {
  it('is in the documented schema, titled with the first action, threaded by owner and run', () => {
    const { notice, report } = noticeFor(['press-office/x']);
    const message = chatNotification(notice, report, 'mfa-status');
    expect(customNotificationSchema.parse(message)).toEqual(message);
    expect(message.content.title).toMatch(/^HIGH: /);
    expect(message.metadata.threadId).toBe('credential-hygiene/press-office/mfa-status/2026-12-05');
  });

  it('lists at most ten findings, then "and N more", and stays under SNS\'s limit for any estate', () => {
    const ids = Array.from({ length: 3000 }, (_, index) => `press-office/${'x'.repeat(400)}${index}`);
    const { notice, report } = noticeFor(ids);
    const message = chatNotification(notice, report, 'mfa-status');
    const lines = message.content.description.split('\n');
    expect(lines.filter((each) => each.startsWith('•'))).toHaveLength(10);
    expect(lines).toContain('and 2990 more');
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(MAX_CHAT_MESSAGE_BYTES);
    expect(customNotificationSchema.safeParse(message).success).toBe(true);
  });

  it.each([
    ['<!channel> ping', '&lt;\\!channel&gt; ping'],
    ['@here look', '(at)here look'],
    ['<https://evil.example|click me>', '&lt;https://evil.example\\|click me&gt;'],
    ['[click](https://evil.example)', '\\[click\\]\\(https://evil.example\\)'],
    ['*bold* _it_ `code` ~s~', '\\*bold\\* \\_it\\_ \\`code\\` \\~s\\~'],
    ['line\nbreak', 'line break'],
  ])('escapes outside text so it can neither mention nor link: %p', (raw, shown) => {
    expect(chatText(raw)).toBe(shown);
  });

  it('an account id that tries a mention or a link is shown as text in every field', () => {
    const { notice, report } = noticeFor(['press-office/<!channel>@here[x](https://evil.example)']);
    const text = JSON.stringify(chatNotification(notice, report, 'mfa-status'));
    expect(text).not.toMatch(/<!channel>|@here|\]\(https:\/\/evil/);
  });

  it('routes each owner to the configurations that list them, or every owner', async () => {
    const published: { topic: string; owner: string }[] = [];
    const { notice: press, report } = noticeFor(['press-office/x']);
    const { notice: digital } = noticeFor(['digital/ig'], 'digital-team');
    const channel = chatClient(
      [
        { topicArn: 'arn:aws:sns:eu-west-2:123456789012:s-chat-slack-1', owners: ['press-office'] },
        { topicArn: 'arn:aws:sns:eu-west-2:123456789012:s-chat-teams-1', owners: '*' },
      ],
      { problem: () => {} },
    );
    const { mockClient } = await import('aws-sdk-client-mock');
    const { PublishCommand, SNSClient } = await import('@aws-sdk/client-sns');
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).callsFake((input: { TopicArn: string; Message: string }) => {
      published.push({
        topic: input.TopicArn.split(':').pop() as string,
        owner: JSON.parse(input.Message).metadata.additionalContext.owner,
      });
      return { MessageId: 'm' };
    });
    const delivered = await channel.deliver({ notices: [press, digital], report, family: 'mfa-status' });
    sns.restore();
    expect(delivered.messages).toBe(3);
    expect(published).toEqual([
      { topic: 's-chat-slack-1', owner: 'press-office' },
      { topic: 's-chat-teams-1', owner: 'press-office' },
      { topic: 's-chat-teams-1', owner: 'digital-team' },
    ]);
  });

  it('refuses settings that name no channel properly, each problem in words', () => {
    expect(
      chat.settingsSchema.safeParse({ slack: [{ workspaceId: 'T07EA123LEP', channelId: 'C07', owners: [] }] }).success,
    ).toBe(false);
    expect(
      chat.settingsSchema.safeParse({ teams: [{ teamId: 'x', tenantId: 'y', channelId: 'z', owners: '*' }] }).success,
    ).toBe(false);
  });
});
