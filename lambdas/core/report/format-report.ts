import { formatHtml } from './format-html';
import { formatMarkdown } from './format-markdown';
import { formatTable } from './format-table';
import type { Report, ReportFormat } from './report';

export function formatReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return formatMarkdown(report);
    case 'table':
      return formatTable(report);
    case 'html':
      return formatHtml(report);
  }
}
