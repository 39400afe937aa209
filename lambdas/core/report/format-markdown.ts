import type { Report } from './report';
import {
  acceptanceLines,
  actionTexts,
  changeLabels,
  escalationLines,
  memberLines,
  summaryLine,
  takeoverLines,
} from './report';
import { markdownCode, markdownLink, markdownText } from './safe-text';

/** For a ticket: a summary, the actions that fix most, then one table row per finding with its detail and remediation. */
export function formatMarkdown(report: Report): string[] {
  const ownerOf = new Map(
    report.accounts.flatMap((account) => (account.owner === null ? [] : [[account.id, account.owner] as const])),
  );
  const lines = [
    '# Credential hygiene report',
    '',
    `Generated ${report.generatedAt}. ${markdownText(summaryLine(report))}.`,
    '',
  ];
  const { actions, more } = actionTexts(report.actions, markdownText);
  if (actions.length > 0) {
    lines.push('## What to do first', '');
    for (const [index, action] of actions.entries()) {
      lines.push(
        `${index + 1}. ${action.head}: ${action.fixes}.${action.link === undefined ? '' : ` ${markdownLink(action.link)}`}`,
      );
    }
    if (more > 0) lines.push('', `And ${more} more: every finding is in the table below.`);
    lines.push('');
  }
  const tracked = report.lifecycle.tracked;
  const changeOf = changeLabels(report);
  const open = report.findings.filter((found) => found.accepted === undefined);
  if (open.length > 0) {
    lines.push(
      `| Severity |${tracked ? ' Change |' : ''} Account | Owner | Check | Finding | What to do |`,
      `|---|${tracked ? '---|' : ''}---|---|---|---|---|`,
    );
    for (const found of open) {
      lines.push(
        `| ${[
          `**${found.severity}**`,
          ...(tracked ? [changeOf(found.id)] : []),
          markdownCode(found.accountId),
          ownerOf.has(found.accountId) ? markdownText(ownerOf.get(found.accountId) as string) : '—',
          markdownCode(found.check),
          `**${markdownText(found.title)}**: ${markdownText(found.detail)}`,
          markdownText(found.remediation),
        ].join(' | ')} |`,
      );
    }
    lines.push('');
  }
  if (report.lifecycle.resolved.length > 0) {
    lines.push('Fixed since the last run:', '');
    for (const id of report.lifecycle.resolved) lines.push(`- ${markdownCode(id)}`);
    lines.push('');
  }
  const escalations = escalationLines(report, markdownText);
  if (escalations.length > 0) {
    lines.push(
      '## Escalated',
      '',
      "Findings left open past the policy's days, told once to their owners' escalation contacts:",
      '',
      ...escalations.map((line) => (line.startsWith('  ') ? `  - ${line.trimStart()}` : `- ${line}`)),
      '',
    );
  }
  const takeovers = takeoverLines(report, markdownText);
  if (takeovers.length > 0) {
    lines.push('## Takeover paths', '', ...takeovers.map((line) => `- ${line}`), '');
  }
  const { accepted, exceptions } = acceptanceLines(report, markdownText);
  if (accepted.length > 0) {
    lines.push('## Accepted risks', '', ...accepted.map((line) => `- ${line}`), '');
  }
  if (exceptions.length > 0) {
    lines.push('## Policy exceptions to review', '', ...exceptions.map((line) => `- ${line}`), '');
  }
  const members = memberLines(report, markdownText);
  if (members.length > 0) lines.push('## Member accounts', '', ...members.map((line) => `- ${line}`), '');
  return lines.map((line, index) => (index < lines.length - 1 ? `${line}\n` : line));
}
