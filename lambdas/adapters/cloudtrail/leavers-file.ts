import { parse } from 'csv-parse/sync';
import { parseIsoDate } from '../../core/iso-date';
import type { Leavers } from '../../core/secret-reads';
import { InputFileError, readTextFile } from '../json-file';

/** The largest leavers file read: a hundred thousand leavers is far beyond any organisation's list. */
const MAX_LEAVERS_FILE_BYTES = 16 * 1024 * 1024;
const MAX_LEAVERS = 100_000;

/**
 * The people who have left, from a file an identity provider outside AWS (or HR) exports: CSV with a header row holding
 * `username` (or `email`) and `leftOn` (an ISO date), or JSON `[{"username" | "email": …, "leftOn": …}]`. Names are
 * matched case-insensitively. A person listed twice keeps the earliest day. Problems name the row and the column,
 * never a value.
 */
export async function readLeaversFile(path: string): Promise<Leavers> {
  return parseLeavers(await readTextFile(path, 'leavers file', MAX_LEAVERS_FILE_BYTES), path);
}

/** The leavers in a list's text (a file's, or a secret's: `path` names it in problems), as `readLeaversFile` reads it. */
export function parseLeavers(text: string, path: string): Leavers {
  const what = 'leavers file';
  if (text.length > MAX_LEAVERS_FILE_BYTES) {
    throw new InputFileError(
      `cannot read ${what} ${path}: it is larger than ${MAX_LEAVERS_FILE_BYTES / 1024 / 1024} MiB`,
    );
  }
  const rows = text.trimStart().startsWith('[') ? jsonRows(text, path) : csvRows(text, path);
  if (rows.length > MAX_LEAVERS) {
    throw new InputFileError(`cannot read ${what} ${path}: it lists more than ${MAX_LEAVERS} people`);
  }
  const leavers = new Map<string, Date>();
  for (const [index, row] of rows.entries()) {
    const where = `${what} ${path}, ${row.where ?? `row ${index + 1}`}`;
    const name = (row.username ?? row.email)?.trim();
    if (name === undefined || name === '') throw new InputFileError(`${where}: username (or email) is missing`);
    if (typeof row.leftOn !== 'string') throw new InputFileError(`${where}: leftOn is missing`);
    const leftOn = parseIsoDate(row.leftOn.trim());
    if (leftOn === undefined) throw new InputFileError(`${where}: leftOn is not an ISO date such as 2026-03-31`);
    const key = name.toLowerCase();
    const known = leavers.get(key);
    if (known === undefined || leftOn < known) leavers.set(key, leftOn);
  }
  return leavers;
}

interface LeaverRow {
  readonly username?: string;
  readonly email?: string;
  readonly leftOn?: unknown;
  readonly where?: string;
}

function jsonRows(text: string, path: string): LeaverRow[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new InputFileError(`cannot read leavers file ${path}: it is not JSON`);
  }
  if (!Array.isArray(document)) throw new InputFileError(`cannot read leavers file ${path}: it is not a JSON list`);
  return document.map((item, index) => {
    const where = `[${index}]`;
    if (typeof item !== 'object' || item === null)
      throw new InputFileError(`leavers file ${path}, ${where}: not an object`);
    const { username, email, leftOn } = item as Record<string, unknown>;
    for (const [key, value] of Object.entries({ username, email })) {
      if (value !== undefined && typeof value !== 'string') {
        throw new InputFileError(`leavers file ${path}, ${where}: ${key} must be text`);
      }
    }
    return {
      ...(typeof username === 'string' && { username }),
      ...(typeof email === 'string' && { email }),
      leftOn,
      where,
    };
  });
}

function csvRows(text: string, path: string): LeaverRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((column) => column.trim()),
      skip_empty_lines: true,
      trim: false,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new InputFileError(
      `cannot read leavers file ${path}: it is not CSV${line === undefined ? '' : ` (at line ${line})`}`,
    );
  }
  const [first] = records;
  if (first !== undefined && !('leftOn' in first && ('username' in first || 'email' in first))) {
    throw new InputFileError(`cannot read leavers file ${path}: its header row needs username (or email) and leftOn`);
  }
  return records.map((record, index) => ({
    ...(record.username !== undefined && record.username !== '' && { username: record.username }),
    ...(record.email !== undefined && record.email !== '' && { email: record.email }),
    leftOn: record.leftOn,
    where: `line ${index + 2}`,
  }));
}
