import type { Report } from './report';
import { changeOf, summaryLine } from './report';

/** The human default: one row per finding, worst first, then what was fixed and a summary line. */
export function formatTable(report: Report): string {
  const tracked = report.lifecycle.tracked;
  const ownerOf = new Map(report.accounts.map((account) => [account.id, account.owner ?? '-']));
  const headers = ['SEVERITY', ...(tracked ? ['CHANGE'] : []), 'ACCOUNT', 'OWNER', 'CHECK', 'FINDING', 'WHAT TO DO'];
  const rows = report.findings.map((found) => [
    found.severity.toUpperCase(),
    ...(tracked ? [changeOf(report, found.id)] : []),
    found.accountId,
    ownerOf.get(found.accountId) ?? '-',
    found.check,
    found.title,
    found.remediation,
  ]);
  const lines: string[] = [];
  if (rows.length > 0) {
    const widths = headers.map((header, column) =>
      Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
    );
    const render = (cells: readonly string[]) =>
      cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
    lines.push(render(headers), ...rows.map(render), '');
  }
  if (report.lifecycle.resolved.length > 0) {
    lines.push('Fixed since the last run:', ...report.lifecycle.resolved.map((id) => `  ${id}`), '');
  }
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}
