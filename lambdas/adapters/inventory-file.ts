import type { InventoryEntry } from '../core/inventory';
import { InputFileError } from './json-file';
import { readStructuredFile } from './structured-file';

/**
 * The most entries one inventory may hold: the estate one scan is made and measured for (a run holds every account, its
 * findings and its report at once; see the README's bounds), far beyond any organisation's shared logins.
 */
export const MAX_INVENTORY_ENTRIES = 100_000;

/**
 * Reads the local inventory: a JSON (or YAML) list of accounts, or an object with an `accounts` list. Entries are
 * returned unparsed, so that one bad entry becomes a finding and does not stop the scan.
 */
export async function readInventoryFile(path: string): Promise<InventoryEntry[]> {
  const document = await readStructuredFile(path, 'inventory');
  const list = Array.isArray(document)
    ? document
    : typeof document === 'object' && document !== null && Array.isArray((document as { accounts?: unknown }).accounts)
      ? (document as { accounts: unknown[] }).accounts
      : undefined;
  if (list === undefined) {
    throw new InputFileError(`inventory ${path} must hold a list of accounts, or an object with an "accounts" list`);
  }
  if (list.length > MAX_INVENTORY_ENTRIES) {
    throw new InputFileError(
      `inventory ${path} holds ${list.length} entries, more than the ${MAX_INVENTORY_ENTRIES} one scan is made for: split it by team and scan each part`,
    );
  }
  return list.map((value, index) => ({ ref: `inventory[${index}]`, value }));
}
