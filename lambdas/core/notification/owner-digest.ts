import type { CheckId, Finding } from '../finding';
import type { Report } from '../report/report';
import { type Severity, worstOf } from '../severity';

/** The owner findings are sent to when nobody owns the login: only unfiltered subscriptions (the platform team) get them. */
export const UNOWNED = 'unowned';

/** SNS's message limit is 262,144 bytes, attributes included; this leaves room for them. */
export const DEFAULT_MAX_MESSAGE_BYTES = 250_000;
const MAX_SUBJECT_LENGTH = 99;
/** One SMS segment holds 140 ASCII characters. */
export const MAX_SMS_LENGTH = 140;

/** One message to one owner: their findings from one run (or one part of them, when they do not fit one message). */
export interface OwnerDigest {
  readonly owner: string;
  readonly worstSeverity: Severity;
  readonly checks: readonly CheckId[];
  readonly findings: number;
  readonly part: number;
  readonly parts: number;
  readonly subject: string;
  /** The `MessageStructure: json` document: `default`, `email` and `sms` bodies. */
  readonly message: string;
}

export interface DigestOptions {
  /** Which scheduled function ran: `breach-exposure`. */
  readonly run: string;
  readonly maxMessageBytes?: number;
}

/**
 * One digest per owner, worst findings first, each with a plain-text email body (every finding with its remediation),
 * a one-segment SMS line and a default body. A digest too large for one message is split into numbered parts;
 * nothing is cut.
 */
export function ownerDigests(report: Report, options: DigestOptions): OwnerDigest[] {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const accountsById = new Map(report.accounts.map((account) => [account.id, account]));
  const byOwner = new Map<string, Finding[]>();
  for (const found of report.findings) {
    const owner = accountsById.get(found.accountId)?.owner ?? UNOWNED;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), found]);
  }
  return [...byOwner].flatMap(([owner, findings]) => {
    // Sized as "part 99 of 99", so that numbering the parts afterwards never pushes one over the limit.
    const groups = splitToFit(findings, (group) => bodies(owner, findings, group, 99, 99, report, options), maxBytes);
    return groups.map((group, index) => {
      const part = index + 1;
      const { subject, message } = bodies(owner, findings, group, part, groups.length, report, options);
      return {
        owner,
        worstSeverity: worstOf(group.map((found) => found.severity)) ?? 'info',
        checks: [...new Set(group.map((found) => found.check))].sort(),
        findings: group.length,
        part,
        parts: groups.length,
        subject,
        message,
      };
    });
  });
}

/** Greedy split, in order: each group is as long as fits `maxBytes`, and never empty. */
function splitToFit(
  findings: readonly Finding[],
  render: (group: readonly Finding[]) => { message: string },
  maxBytes: number,
): Finding[][] {
  const groups: Finding[][] = [];
  let current: Finding[] = [];
  for (const found of findings) {
    const candidate = [...current, found];
    if (current.length > 0 && Buffer.byteLength(render(candidate).message) > maxBytes) {
      groups.push(current);
      current = [found];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function bodies(
  owner: string,
  all: readonly Finding[],
  group: readonly Finding[],
  part: number,
  parts: number,
  report: Report,
  { run }: DigestOptions,
): { subject: string; message: string } {
  const worst = worstOf(all.map((found) => found.severity)) ?? 'info';
  const count = `${all.length} finding${all.length === 1 ? '' : 's'}`;
  const partNote = parts > 1 ? ` (part ${part} of ${parts})` : '';
  const subject = ascii(`credential-hygiene: ${count} for ${owner}, worst ${worst}${partNote}`).slice(
    0,
    MAX_SUBJECT_LENGTH,
  );
  const accountsById = new Map(report.accounts.map((account) => [account.id, account]));
  const offset = all.indexOf(group[0] as Finding);
  const email = [
    `credential-hygiene found ${count} on logins owned by ${owner} (worst: ${worst.toUpperCase()}).`,
    `Check run: ${run}, ${report.generatedAt}.${parts > 1 ? ` This is part ${part} of ${parts}.` : ''}`,
    '',
    ...group.flatMap((found, index) => [
      `${offset + index + 1}. ${found.severity.toUpperCase()}: ${found.accountId} (${accountsById.get(found.accountId)?.platform ?? 'unknown platform'})`,
      `   ${found.title}`,
      `   ${found.detail}`,
      `   What to do: ${found.remediation}`,
      '',
    ]),
    'You get this because you are named as the owner of these logins. Fix the worst first; the next run will show what remains.',
  ].join('\n');
  const top = all[0] as Finding;
  const more = all.length > 1 ? ` +${all.length - 1} more, see email.` : '';
  const sms = fitSms(`credential-hygiene: ${top.severity.toUpperCase()} ${top.accountId}: `, top.title, more);
  const message = JSON.stringify({ default: `${subject}\n\n${email}`, email, sms });
  return { subject, message };
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
