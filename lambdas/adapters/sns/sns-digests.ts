import { ACCEPTANCE_ENDING_NOTICE_DAYS, type Acceptance, acceptanceEnd } from '../../core/exceptions';
import { type CheckId, worstFirst } from '../../core/finding';
import type { Change } from '../../core/lifecycle/reconcile';
import {
  type NoticeItem,
  type NoticeOptions,
  type OwnerNotice,
  ownerNotices,
  PLATFORM_TEAM,
  UNOWNED,
} from '../../core/notification/owner-notices';
import type { Action } from '../../core/report/actions';
import { actionTexts, type Report, TOP_ACTIONS } from '../../core/report/report';
import { plainText } from '../../core/report/safe-text';
import { type Severity, worstOf } from '../../core/severity';

export { UNOWNED };

/** SNS's message limit is 262,144 bytes, attributes included; this leaves room for them. */
export const DEFAULT_MAX_MESSAGE_BYTES = 250_000;
const MAX_SUBJECT_LENGTH = 99;
/** One SMS segment holds 140 ASCII characters. */
export const MAX_SMS_LENGTH = 140;

/** One SNS message to one owner: their notice (or one part of it, when it does not fit one message). */
export interface OwnerDigest {
  readonly owner: string;
  /** The worst finding in this message; `info` for a message that only reports fixes. */
  readonly worstSeverity: Severity;
  readonly checks: readonly CheckId[];
  /** Findings that need attention in this message. */
  readonly findings: number;
  /** Findings reported fixed in this message. */
  readonly fixed: number;
  /** Acceptances reported ending soon in this message. */
  readonly ending: number;
  readonly part: number;
  readonly parts: number;
  readonly subject: string;
  /** The `MessageStructure: json` document: `default`, `email` and `sms` bodies. */
  readonly message: string;
}

export interface DigestOptions extends NoticeOptions {
  /** Which scheduled function ran: `breach-exposure`. */
  readonly family: string;
  readonly maxMessageBytes?: number;
}

type Item = NoticeItem;

const LABELS: Record<Change, string> = {
  new: 'new',
  worsened: 'worse than before',
  reminded: 'reminder',
  unchanged: '',
  reopened: 'acceptance ended',
  accepted: 'accepted',
};

/** The SNS messages for a report: its owners' notices, rendered. */
export function ownerDigests(report: Report, options: DigestOptions): OwnerDigest[] {
  return snsDigests(ownerNotices(report, options), report, options);
}

/**
 * Each owner's notice as SNS messages, with a plain-text email body (every finding with its remediation, then what
 * was fixed), a one-segment SMS line and a default body. A notice too large for one message is split into numbered
 * parts; nothing is cut.
 */
export function snsDigests(
  notices: readonly OwnerNotice[],
  report: Report,
  options: Pick<DigestOptions, 'family' | 'maxMessageBytes'>,
): OwnerDigest[] {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const accountsById = new Map(report.accounts.map((account) => [account.id, account]));
  return notices.flatMap((notice) => {
    const { owner, items } = notice;
    const context = {
      owner,
      summary: notice,
      lead: actionLead(notice.actions),
      report,
      accountsById,
      family: options.family,
    };
    const offsets = new Map(items.map((item, index) => [item, index]));
    const groups = splitToFit(
      items,
      (group, part, parts) => render({ ...context, group, offset: offsets.get(group[0] as Item) ?? 0, part, parts }),
      maxBytes,
    );
    return groups.map((group, index) => {
      const offset = offsets.get(group[0] as Item) ?? 0;
      const { subject, message } = render({ ...context, group, offset, part: index + 1, parts: groups.length });
      const findings = group.flatMap((item) => ('finding' in item ? [item.finding] : []));
      const fixed = group.flatMap((item) => ('fixed' in item ? [item.fixed] : []));
      const ending = group.flatMap((item) => ('ending' in item ? [item.ending] : []));
      // An escalation reaches a contact's phone as a finding of that severity would.
      const escalated = group.flatMap((item) => ('escalated' in item ? [item.escalated] : []));
      return {
        owner,
        worstSeverity: worstOf([...findings, ...escalated].map((found) => found.severity)) ?? 'info',
        checks: [...new Set([...findings, ...fixed, ...ending, ...escalated].map((each) => each.check))].sort(),
        findings: findings.length,
        fixed: fixed.length,
        ending: ending.length,
        part: index + 1,
        parts: groups.length,
        subject,
        message,
      };
    });
  });
}

type Render = (group: readonly Item[], part: number, parts: number) => { message: string };

/**
 * Splits, in order, into groups whose message fits `maxBytes`, never empty. Each item's share of the message (its
 * lines, JSON-escaped, counted twice: the email body is also in the default body) is measured once and summed, so a
 * digest of thousands of findings costs one render per part, not one per finding. Each part is then rendered and
 * checked; one the estimate let through too large is halved.
 */
function splitToFit(items: readonly Item[], render: Render, maxBytes: number): Item[][] {
  // "part 99 of 99" sizes the numbering that is added once the parts are known.
  const fixedBytes = Buffer.byteLength(render([], 99, 99).message);
  const shareOf = (item: Item) => Buffer.byteLength(render([item], 99, 99).message) - fixedBytes;
  const groups: Item[][] = [];
  let current: Item[] = [];
  let bytes = fixedBytes;
  for (const item of items) {
    const share = Math.max(0, shareOf(item));
    if (current.length > 0 && bytes + share > maxBytes) {
      groups.push(current);
      current = [];
      bytes = fixedBytes;
    }
    current.push(item);
    bytes += share;
  }
  if (current.length > 0) groups.push(current);
  return groups.flatMap((group) => halveUntilFits(group, render, maxBytes));
}

function halveUntilFits(group: Item[], render: Render, maxBytes: number): Item[][] {
  if (group.length < 2 || Buffer.byteLength(render(group, 99, 99).message) <= maxBytes) return [group];
  const half = Math.ceil(group.length / 2);
  return [
    ...halveUntilFits(group.slice(0, half), render, maxBytes),
    ...halveUntilFits(group.slice(half), render, maxBytes),
  ];
}

interface RenderContext {
  readonly owner: string;
  /** The owner's whole digest, counted once: every part's headline speaks of all of it. */
  readonly summary: Pick<
    OwnerNotice,
    'findings' | 'fixed' | 'ending' | 'waiting' | 'escalated' | 'worst' | 'top' | 'actions'
  >;
  /** The owner's actions as the email leads with them: the same in every part, so made once per notice. */
  readonly lead: ActionLead;
  readonly group: readonly Item[];
  /** The position of the group's first item in the whole digest, for numbering. */
  readonly offset: number;
  readonly part: number;
  readonly parts: number;
  readonly report: Report;
  readonly accountsById: ReadonlyMap<string, Report['accounts'][number]>;
  readonly family: string;
}

/** The email's first list: the owner's actions, numbered, the number of each, and how many more there are. */
interface ActionLead {
  readonly lines: readonly string[];
  readonly numberOf: ReadonlyMap<string, number>;
  readonly more: number;
}

function actionLead(actions: readonly Action[]): ActionLead {
  const { actions: shown, more } = actionTexts(actions, plainText);
  return {
    lines: shown.flatMap((action, index) => [
      `${index + 1}. ${action.head}`,
      `   It ${action.fixes}.`,
      ...(action.link === undefined ? [] : [`   Where: ${plainText(action.link)}`]),
      '',
    ]),
    numberOf: new Map(actions.slice(0, TOP_ACTIONS).map((action, index) => [action.id, index + 1])),
    more,
  };
}

function render({
  owner: rawOwner,
  summary,
  lead,
  group,
  offset,
  part,
  parts,
  report,
  accountsById,
  family,
}: RenderContext) {
  // Ids, owners, platforms and the text that quotes them came from outside: printed, never obeyed (see safe-text).
  const owner = plainText(rawOwner);
  const { worst, top } = summary;
  const count = `${summary.findings} finding${summary.findings === 1 ? '' : 's'}`;
  // What a notice without findings says: fixes, acceptances ending soon, or both.
  const otherNotes = [
    ...(summary.fixed > 0 ? [`${summary.fixed} fixed`] : []),
    ...(summary.ending > 0 ? [`${summary.ending} acceptance${summary.ending === 1 ? '' : 's'} ending soon`] : []),
    ...(summary.waiting > 0 ? [`${summary.waiting} waiting on another owner's fix`] : []),
    ...(summary.escalated.length > 0 ? [`${summary.escalated.length} escalated to you`] : []),
  ];
  const otherNote = otherNotes.join('; ');
  const partNote = parts > 1 ? ` (part ${part} of ${parts})` : '';
  const headline =
    worst === undefined
      ? `${otherNote} for ${owner}`
      : `${count} for ${owner}, worst ${worst}${otherNotes.length > 0 ? `; ${otherNote}` : ''}`;
  const subject = ascii(`credential-hygiene: ${headline}${partNote}`).slice(0, MAX_SUBJECT_LENGTH);

  // The owner's actions lead, each numbered as the email's first list; a finding one of them fixes points to it.
  const { lines: actionLines, numberOf: actionNumber, more: moreActions } = lead;
  const findingLines = group.flatMap((item, index) => {
    if (!('finding' in item)) return [];
    const found = item.finding;
    const label = item.change ? ` (${LABELS[item.change]})` : '';
    const platform = plainText(accountsById.get(found.accountId)?.platform ?? 'unknown platform');
    const fixedBy = item.fixedBy === undefined ? undefined : actionNumber.get(item.fixedBy.id);
    if (item.fixedBy !== undefined) {
      // Told in full where its root's action is; here it says which one ends it.
      return [
        `${offset + index + 1}. ${found.severity.toUpperCase()}${label}: ${plainText(found.accountId)} (${platform})`,
        `   ${plainText(found.title)}: fixed when ${plainText(item.fixedBy.account)} is fixed${fixedBy === undefined ? '' : ` (step ${fixedBy} above)`}.`,
        '',
      ];
    }
    return [
      `${offset + index + 1}. ${found.severity.toUpperCase()}${label}: ${plainText(found.accountId)} (${platform})`,
      `   ${plainText(found.title)}`,
      ...(found.link === undefined ? [] : [`   Where: ${plainText(found.link)}`]),
      ...(item.endedAcceptance ? [`   ${acceptanceEnded(item.endedAcceptance, report.generatedAt)}`] : []),
      `   ${plainText(found.detail)}`,
      `   What to do: ${plainText(found.remediation)}`,
      '',
    ];
  });
  const endingLines = group.flatMap((item) =>
    'ending' in item
      ? [
          `- ${plainText(item.ending.accountId)}: ${plainText(item.ending.title)} (${item.ending.check}), accepted by ${plainText(item.ending.accepted.acceptedBy)} until ${item.ending.accepted.expires}: ${plainText(item.ending.accepted.reason)}`,
        ]
      : [],
  );
  const waitingLines = group.flatMap((item) =>
    'waiting' in item
      ? [
          `- ${plainText(item.waiting.accountId)}: ${plainText(item.waiting.title)} (${item.waiting.severity}): fixed when ${plainText(item.on.account)} is fixed, owned by ${item.on.owner === null ? 'nobody yet' : plainText(item.on.owner)}.`,
        ]
      : [],
  );
  const escalatedLines = group.flatMap((item) => {
    if (!('escalated' in item)) return [];
    const found = item.escalated;
    const platform = plainText(accountsById.get(found.accountId)?.platform ?? 'unknown platform');
    const owned = item.owner === null ? 'owned by nobody' : `owned by ${plainText(item.owner)}`;
    return [
      `- ${found.severity.toUpperCase()}: ${plainText(found.accountId)} (${platform}), ${owned}, open ${item.openDays} days`,
      `   ${plainText(found.title)}`,
      ...(found.link === undefined ? [] : [`   Where: ${plainText(found.link)}`]),
      `   What to do: ${plainText(found.remediation)}`,
      '',
    ];
  });
  const toldLines = group.flatMap((item) =>
    'escalatedTo' in item
      ? [
          `- ${plainText(item.told.accountId)}: ${plainText(item.told.title)} (${item.told.severity}), open ${item.openDays} days: told to ${plainText(item.escalatedTo)}.`,
        ]
      : [],
  );
  const fixedLines = group.flatMap((item) =>
    'fixed' in item
      ? [`- ${plainText(item.fixed.accountId)}: ${plainText(item.fixed.title)} (${item.fixed.check})`]
      : [],
  );
  const escalatedWorst = worstOf(summary.escalated.map((found) => found.severity));
  const email = [
    worst === undefined && escalatedWorst !== undefined
      ? `credential-hygiene: ${summary.escalated.length} finding${summary.escalated.length === 1 ? '' : 's'} escalated to ${owner} (worst: ${escalatedWorst.toUpperCase()}): left open on other owners' logins past the policy's days.`
      : worst === undefined
        ? `credential-hygiene: ${otherNote} on logins owned by ${owner}${summary.ending === 0 ? ' since the last run' : ''}. Nothing new needs attention.`
        : `credential-hygiene found ${count} needing attention on logins owned by ${owner} (worst: ${worst.toUpperCase()}).`,
    `Check run: ${family}, ${report.generatedAt}.${parts > 1 ? ` This is part ${part} of ${parts}.` : ''}`,
    '',
    ...(actionLines.length > 0
      ? [
          'What to do first (each fixes the findings listed under it):',
          '',
          ...actionLines,
          ...(moreActions > 0 ? [`and ${moreActions} more, in the findings below.`, ''] : []),
          'The findings:',
          '',
        ]
      : []),
    ...findingLines,
    ...(waitingLines.length > 0
      ? [
          "On your logins, waiting on another owner's fix (nothing for you to do but know it; not repeated while it is open):",
          ...waitingLines,
          '',
        ]
      : []),
    ...(escalatedLines.length > 0
      ? [
          "Escalated to you: findings on other owners' logins left open past the policy's days (told once; their owners are reminded as before):",
          '',
          ...escalatedLines,
        ]
      : []),
    ...(toldLines.length > 0
      ? ["Left open past the policy's days, so told to your escalation contact:", ...toldLines, '']
      : []),
    ...(fixedLines.length > 0 ? ['Fixed since the last run:', ...fixedLines, ''] : []),
    ...(endingLines.length > 0
      ? [
          `Accepted risks whose acceptance ends within ${ACCEPTANCE_ENDING_NOTICE_DAYS} days (each is open again the day after; renew the exception in the policy, or fix it):`,
          ...endingLines,
          '',
        ]
      : []),
    worst === undefined && escalatedWorst !== undefined
      ? `You get this because you are named as their owners' escalation contact${owner === PLATFORM_TEAM ? ' (their owners name none, so the platform team is)' : ''}: see that each is fixed.`
      : 'You get this because you are named as the owner of these logins. Fix the worst first; the next run will show what remains.',
  ].join('\n');

  // One thing only: the owner's first action (the cause), else the worst finding; an escalation to a contact with
  // nothing of their own says the worst of those escalated.
  const [first] = summary.actions;
  const escalated = worst === undefined ? [...summary.escalated].sort(worstFirst)[0] : undefined;
  const sms =
    escalated !== undefined
      ? fitSms(
          `credential-hygiene: ESCALATED ${escalated.severity.toUpperCase()} ${escalated.accountId}: `,
          escalated.title,
          summary.escalated.length > 1 ? ` +${summary.escalated.length - 1} more, see email.` : '',
        )
      : first !== undefined
        ? fitSms(
            `credential-hygiene: ${first.severity.toUpperCase()} `,
            first.title,
            summary.actions.length > 1 || summary.findings > first.fixes.length
              ? ` +${summary.actions.length - 1} more to do, see email.`
              : '',
          )
        : top === undefined
          ? ascii(`credential-hygiene: ${otherNote} for ${owner}. Nothing new needs attention.`).slice(
              0,
              MAX_SMS_LENGTH,
            )
          : fitSms(
              `credential-hygiene: ${top.severity.toUpperCase()} ${top.accountId}: `,
              top.title,
              summary.findings > 1 ? ` +${summary.findings - 1} more, see email.` : '',
            );
  return { subject, message: JSON.stringify({ default: `${subject}\n\n${email}`, email, sms }) };
}

/** `prefix + title + suffix` in one SMS segment, shortening the title (never the prefix or count) when needed. */
function fitSms(prefix: string, title: string, suffix: string): string {
  const whole = ascii(`${prefix}${title}.${suffix}`);
  if (whole.length <= MAX_SMS_LENGTH) return whole;
  const room = MAX_SMS_LENGTH - ascii(prefix).length - ascii(suffix).length - 4;
  return ascii(`${prefix}${ascii(title).slice(0, Math.max(0, room))}....${suffix}`).slice(0, MAX_SMS_LENGTH);
}

/** Printable ASCII only: SNS rejects control characters in subjects, and SMS segments are counted in ASCII. */
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** "The acceptance of this finding by … ("…") expired on …": said once, when the finding is open again. */
function acceptanceEnded(acceptance: Acceptance, generatedAt: string): string {
  const by = `by ${plainText(acceptance.acceptedBy)} ("${plainText(acceptance.reason)}")`;
  const expired = Date.parse(generatedAt) >= acceptanceEnd(acceptance.expires).getTime();
  return expired
    ? `The acceptance of this finding ${by} expired on ${acceptance.expires}: it needs attention again.`
    : `The acceptance of this finding ${by}, until ${acceptance.expires}, was withdrawn from the policy: it needs attention again.`;
}
