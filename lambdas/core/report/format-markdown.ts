import type { Report } from './report';
import { changeOf, summaryLine } from './report';

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** For a ticket: a summary, then one table row per finding with its detail and remediation. */
export function formatMarkdown(report: Report): string {
  const ownerOf = new Map(report.accounts.map((account) => [account.id, account.owner ?? '—']));
  const lines = ['# Credential hygiene report', '', `Generated ${report.generatedAt}. ${summaryLine(report)}.`, ''];
  const tracked = report.lifecycle.tracked;
  if (report.findings.length > 0) {
    lines.push(
      `| Severity |${tracked ? ' Change |' : ''} Account | Owner | Check | Finding | What to do |`,
      `|---|${tracked ? '---|' : ''}---|---|---|---|---|`,
    );
    for (const found of report.findings) {
      lines.push(
        `| ${[
          `**${found.severity}**`,
          ...(tracked ? [changeOf(report, found.id)] : []),
          `\`${cell(found.accountId)}\``,
          cell(ownerOf.get(found.accountId) ?? '—'),
          `\`${found.check}\``,
          `**${cell(found.title)}**: ${cell(found.detail)}`,
          cell(found.remediation),
        ].join(' | ')} |`,
      );
    }
    lines.push('');
  }
  if (report.lifecycle.resolved.length > 0) {
    lines.push('Fixed since the last run:', '', ...report.lifecycle.resolved.map((id) => `- \`${cell(id)}\``), '');
  }
  return `${lines.join('\n')}`;
}
