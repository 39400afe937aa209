import type { Report } from './report';
import { summaryLine } from './report';

const HEADERS = ['SEVERITY', 'ACCOUNT', 'OWNER', 'CHECK', 'FINDING', 'WHAT TO DO'] as const;

/** The human default: one row per finding, worst first, then a summary line. */
export function formatTable(report: Report): string {
  const ownerOf = new Map(report.accounts.map((account) => [account.id, account.owner ?? '-']));
  const rows = report.findings.map((found) => [
    found.severity.toUpperCase(),
    found.accountId,
    ownerOf.get(found.accountId) ?? '-',
    found.check,
    found.title,
    found.remediation,
  ]);
  const lines: string[] = [];
  if (rows.length > 0) {
    const widths = HEADERS.map((header, column) =>
      Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
    );
    const render = (cells: readonly string[]) =>
      cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
    lines.push(render(HEADERS), ...rows.map(render), '');
  }
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}
