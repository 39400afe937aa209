import type { InventoryEntry } from '../core/inventory';
import { InputFileError, readStructuredFile } from './json-file';

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
  return list.map((value, index) => ({ ref: `inventory[${index}]`, value }));
}
