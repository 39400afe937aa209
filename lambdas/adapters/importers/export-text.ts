import { isUtf8 } from 'node:buffer';
import { parse as parseCsv } from 'csv-parse/sync';
import { ImportFormatError } from '../../core/import/imported-item';
import { MAX_IMPORT_ITEMS } from './importer-module';

/** "a Bitwarden JSON export", "an inventory file". */
function anExport(format: string): string {
  const noun = format === 'inventory' ? 'inventory file' : `${format} export`;
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** An export's bytes as text: UTF-8 only, a byte-order mark dropped. */
export function exportText(bytes: Buffer, format: string): string {
  if (!isUtf8(bytes)) throw new ImportFormatError(`the file is not UTF-8 text, so not ${anExport(format)}`);
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** JSON text, or one line saying where it is not JSON (never the parser's message, which quotes the text). */
export function exportJson(bytes: Buffer, format: string): unknown {
  const text = exportText(bytes, format);
  try {
    return JSON.parse(text);
  } catch {
    throw new ImportFormatError(`the file is not JSON, so not ${anExport(format)}`);
  }
}

/** Guards a list's length: an export of more items than a scan is made for is refused whole. */
export function boundedList<T>(list: readonly T[], what: string): readonly T[] {
  if (list.length > MAX_IMPORT_ITEMS) {
    throw new ImportFormatError(
      `the export holds ${list.length} ${what}, more than the ${MAX_IMPORT_ITEMS} one import takes`,
    );
  }
  return list;
}

/** A CSV field's longest value: far beyond any login's field, short of a file that is one endless field. */
const MAX_CSV_FIELD = 64 * 1024;

/**
 * The rows of a CSV export (RFC 4180; a byte-order mark and CRLF line ends taken), each as its header's columns, with
 * the header's names lower-cased. A row of another width, a bad quote or an overlong field is refused with its line.
 * A row is named as a spreadsheet numbers it: the header is row 1, and a quoted newline does not start a row.
 */
export function csvRecords(
  bytes: Buffer,
  format: string,
  required: readonly string[],
): readonly Readonly<Record<string, string>>[] {
  const text = exportText(bytes, format);
  let rows: string[][];
  try {
    rows = parseCsv(text, { skip_empty_lines: true, max_record_size: MAX_CSV_FIELD }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new ImportFormatError(
      `the file is not a well-formed CSV${line !== undefined ? ` (line ${line})` : ''}, so not ${anExport(format)}`,
    );
  }
  const [header, ...body] = rows;
  const names = header?.map((name) => name.trim().toLowerCase()) ?? [];
  const missing = required.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new ImportFormatError(
      `the file's first line has no ${missing.map((name) => `"${name}"`).join(', ')} column, so it is not ${anExport(format)}`,
    );
  }
  boundedList(body, 'rows');
  return body.map((row) => Object.fromEntries(names.map((name, column) => [name, row[column] ?? ''])));
}

/** A value of a JSON export, checked: a string, or absent (null and missing alike). */
export function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ImportFormatError(`${where} is not text`);
  return value;
}

export function record(value: unknown, where: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportFormatError(`${where} is not an object`);
  }
  return value as Record<string, unknown>;
}

export function list(value: unknown, where: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ImportFormatError(`${where} is not a list`);
  return value;
}

/** An ISO 8601 time of an export, or undefined when absent or unreadable. */
export function isoTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The newest of some times. */
export function newest(times: readonly (Date | undefined)[]): Date | undefined {
  let found: Date | undefined;
  for (const time of times) if (time !== undefined && (found === undefined || time > found)) found = time;
  return found;
}
