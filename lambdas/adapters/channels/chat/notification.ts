import type { Finding } from '../../../core/finding';
import type { OwnerNotice } from '../../../core/notification/owner-notices';
import { httpsUrl } from '../../../core/platform-links/https-url';
import type { Report } from '../../../core/report/report';

/** The most findings one message lists; the rest are counted ("and N more"). */
export const MAX_CHAT_FINDINGS = 10;
/** SNS's limit is 256 KB; a message is kept well under it, whatever the estate's text. */
export const MAX_CHAT_MESSAGE_BYTES = 200 * 1024;
/** How long one quoted piece of outside text may be in a message. */
const MAX_PIECE = 500;

/**
 * AWS Chatbot's custom notification (its user guide, "Custom notifications"): Chatbot drops, without a word, any SNS
 * message not in this form.
 */
export interface CustomNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

/**
 * Outside text (account ids, owners, platform text) as chat shows it, never as it obeys it: `&`, `<` and `>` as
 * entities (so `<!channel>`, `<@U123>` and `<https://…|…>` are text); `@` written `(at)`, so no `@here`, `@channel` or
 * `@someone` is a mention (a hidden joiner would be a character of its own to hide things with); markdown's emphasis,
 * code and link characters escaped with a backslash; line breaks as spaces; cut to a bounded length.
 */
export function chatText(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  const cut = flat.length > MAX_PIECE ? `${flat.slice(0, MAX_PIECE)}…` : flat;
  return cut
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_~|[\]()#!])/g, '\\$1')
    .replace(/@/g, '(at)');
}

const line = (found: Finding, platform: string) =>
  `• *${found.severity.toUpperCase()}* ${chatText(found.accountId)} (${chatText(platform)}): ${chatText(found.title)}`;

/** One owner's notice as a custom notification: the first action in the title, at most ten findings, no secret. */
export function chatNotification(notice: OwnerNotice, report: Report, family: string): CustomNotification {
  const platformOf = new Map(report.accounts.map((account) => [account.id, account.platform]));
  const owner = chatText(notice.owner);
  const findings = notice.items.flatMap((item) =>
    'finding' in item ? [item.finding] : 'escalated' in item ? [item.escalated] : [],
  );
  const fixed = notice.items.flatMap((item) => ('fixed' in item ? [item.fixed] : []));
  const [first] = notice.actions;
  const title = first
    ? `${first.severity.toUpperCase()}: ${chatText(first.title)} (owner ${owner})`
    : notice.escalated.length > 0
      ? `Escalated to ${owner}: ${notice.escalated.length} finding${notice.escalated.length === 1 ? '' : 's'} left open`
      : findings.length > 0
        ? `${findings.length} finding${findings.length === 1 ? '' : 's'} for ${owner}`
        : `${fixed.length} fixed for ${owner}`;
  const shown = findings
    .slice(0, MAX_CHAT_FINDINGS)
    .map((found) => line(found, platformOf.get(found.accountId) ?? 'unknown platform'));
  const more = findings.length - shown.length;
  const description = [
    ...shown,
    ...(more > 0 ? [`and ${more} more`] : []),
    ...(fixed.length > 0 ? [`Fixed since the last run: ${fixed.length}`] : []),
  ].join('\n');
  // A link is the platform's page from the catalog (https only, checked where it is read): left whole, so it is one.
  const nextSteps = notice.actions
    .slice(0, 3)
    .map((action) => `${chatText(action.title)}${action.link && httpsUrl(action.link) ? ` ${action.link}` : ''}`);
  const day = report.generatedAt.slice(0, 10);
  const notification: CustomNotification = {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: title.slice(0, 250),
      description,
      nextSteps,
      keywords: ['credential-hygiene', family, ...(notice.worst ? [notice.worst] : [])],
    },
    metadata: {
      // One owner's notices of one run thread together.
      threadId: `credential-hygiene/${owner}/${family}/${day}`.slice(0, 256),
      summary:
        `credential-hygiene ${family}: ${findings.length} finding${findings.length === 1 ? '' : 's'} for ${owner}`.slice(
          0,
          250,
        ),
      eventType: 'credential-hygiene-findings',
      relatedResources: [...new Set(findings.map((found) => chatText(found.accountId)))].slice(0, MAX_CHAT_FINDINGS),
      additionalContext: { owner, run: family, worst: notice.worst ?? 'none' },
    },
  };
  return fitted(notification);
}

/** Shortens the description, never past its first line, until the message fits. */
function fitted(notification: CustomNotification): CustomNotification {
  let current = notification;
  while (
    Buffer.byteLength(JSON.stringify(current)) > MAX_CHAT_MESSAGE_BYTES &&
    current.content.description.length > 0
  ) {
    const lines = current.content.description.split('\n');
    current = {
      ...current,
      content: {
        ...current.content,
        description: lines
          .slice(0, Math.max(1, Math.floor(lines.length / 2)))
          .join('\n')
          .slice(0, MAX_CHAT_MESSAGE_BYTES / 4),
      },
    };
    if (lines.length <= 1) break;
  }
  return current;
}
