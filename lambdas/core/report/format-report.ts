import { csvChunks } from './format-csv';
import { htmlChunks } from './format-html';
import { formatMarkdown } from './format-markdown';
import { formatTable } from './format-table';
import type { Report } from './report';

/**
 * Every format the report is written in, by its `--format` name: a function from the report to its pieces, written
 * one after another (a line, an account, a finding), so that a report of a million findings is never one string,
 * which V8 caps at about 512 MB. A new format is a module and a line here.
 */
const FORMATTERS = {
  table: formatTable,
  json: jsonChunks,
  markdown: formatMarkdown,
  html: htmlChunks,
  csv: csvChunks,
} as const satisfies Record<string, (report: Report) => readonly string[]>;

export type ReportFormat = keyof typeof FORMATTERS;

export const REPORT_FORMATS = Object.keys(FORMATTERS) as readonly ReportFormat[];

export function formatReport(report: Report, format: ReportFormat): string {
  return reportChunks(report, format).join('');
}

/** The report in `format`, in pieces to write one after another. */
export function reportChunks(report: Report, format: ReportFormat): readonly string[] {
  return FORMATTERS[format](report);
}

/** The lists that grow with the estate, written an item at a time. */
const LONG_LISTS: ReadonlySet<string> = new Set(['accounts', 'findings']);

/**
 * `JSON.stringify(report, null, 2)` and a newline, byte for byte, but in pieces: each account and each finding its
 * own. (A JSON string never holds a raw line break, so indenting by lines is safe.)
 */
function jsonChunks(report: Report): string[] {
  const indented = (json: string, by: string) => json.replaceAll('\n', `\n${by}`);
  const entries = Object.entries(report).filter(([, value]) => value !== undefined);
  const chunks = ['{\n'];
  for (const [index, [key, value]] of entries.entries()) {
    const comma = index < entries.length - 1 ? ',' : '';
    if (LONG_LISTS.has(key) && Array.isArray(value) && value.length > 0) {
      chunks.push(`  ${JSON.stringify(key)}: [\n`);
      for (const [at, item] of value.entries()) {
        chunks.push(`    ${indented(JSON.stringify(item, null, 2), '    ')}${at < value.length - 1 ? ',' : ''}\n`);
      }
      chunks.push(`  ]${comma}\n`);
    } else {
      chunks.push(`  ${JSON.stringify(key)}: ${indented(JSON.stringify(value, null, 2), '  ')}${comma}\n`);
    }
  }
  chunks.push('}\n');
  return chunks;
}
