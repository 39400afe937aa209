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
import { plainText } from './safe-text';

/**
 * The human default: the actions that fix most, then one row per finding, worst first, then what was fixed and a
 * summary line.
 */
export function formatTable(report: Report): string[] {
  const tracked = report.lifecycle.tracked;
  const changeOf = changeLabels(report);
  const ownerOf = new Map(report.accounts.map((account) => [account.id, account.owner ?? '-']));
  const headers = ['SEVERITY', ...(tracked ? ['CHANGE'] : []), 'ACCOUNT', 'OWNER', 'CHECK', 'FINDING', 'WHAT TO DO'];
  const open = report.findings.filter((found) => found.accepted === undefined);
  const rows = open.map((found) =>
    [
      found.severity.toUpperCase(),
      ...(tracked ? [changeOf(found.id)] : []),
      found.accountId,
      ownerOf.get(found.accountId) ?? '-',
      found.check,
      found.title,
      found.remediation,
    ].map(plainText),
  );
  const lines: string[] = [];
  const { actions, more } = actionTexts(report.actions, plainText);
  if (actions.length > 0) {
    lines.push(
      `What to do first (${report.actions.length} action${report.actions.length === 1 ? '' : 's'}, the one that fixes most first):`,
    );
    for (const [index, action] of actions.entries()) {
      const indent = ' '.repeat(`  ${index + 1}. `.length);
      lines.push(`  ${index + 1}. ${action.head}`, `${indent}${action.fixes}`);
      if (action.link !== undefined) lines.push(`${indent}${plainText(action.link)}`);
    }
    if (more > 0) lines.push(`  and ${more} more: every finding is below`);
    lines.push('');
  }
  if (rows.length > 0) {
    // A loop, not Math.max(...lengths): spreading 150,000 arguments overflows the call stack.
    const widths = headers.map((header) => header.length);
    for (const row of rows) {
      for (const [column, cell] of row.entries()) widths[column] = Math.max(widths[column] ?? 0, cell.length);
    }
    const render = (cells: readonly string[]) =>
      cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
    // Loops, not push(...rows): spreading 150,000 arguments overflows the call stack.
    lines.push(render(headers));
    for (const row of rows) lines.push(render(row));
    lines.push('');
  }
  if (report.lifecycle.resolved.length > 0) {
    lines.push('Fixed since the last run:');
    for (const id of report.lifecycle.resolved) lines.push(`  ${plainText(id)}`);
    lines.push('');
  }
  const escalations = escalationLines(report, plainText);
  if (escalations.length > 0) {
    lines.push("Escalated: findings left open past the policy's days, told once to their owners' contacts:");
    for (const line of escalations) lines.push(`  ${line}`);
    lines.push('');
  }
  const takeovers = takeoverLines(report, plainText);
  if (takeovers.length > 0) {
    lines.push('Takeover paths (a login falls with the one its resets go to):');
    for (const line of takeovers) lines.push(`  ${line}`);
    lines.push('');
  }
  const { accepted, exceptions } = acceptanceLines(report, plainText);
  if (accepted.length > 0) {
    lines.push('Accepted risks (not counted, not notified, until the day after their date):');
    for (const line of accepted) lines.push(`  ${line}`);
    lines.push('');
  }
  if (exceptions.length > 0) {
    lines.push('Policy exceptions to review:');
    for (const line of exceptions) lines.push(`  ${line}`);
    lines.push('');
  }
  const members = memberLines(report, plainText);
  if (members.length > 0) {
    lines.push('Member accounts:');
    for (const line of members) lines.push(`  ${line}`);
    lines.push('');
  }
  lines.push(summaryLine(report));
  return lines.map((line) => `${line}\n`);
}
