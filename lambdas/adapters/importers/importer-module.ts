import type { ImportedItem } from '../../core/import/imported-item';

/**
 * One export format `import --from` reads, declared once in its folder's `importer.ts`: its id, what it is, and a
 * parser from the file's bytes to items. A parser is bounded and strict: it reads at most `maxBytes`, refuses a file
 * that is not its format with one `ImportFormatError` line naming where (never a value), and turns a well-formed item
 * that is no login (a note, a card) into an item that says so. The CLI loops over the registry (registry.ts).
 */
export interface ImporterModule {
  /** As `--from` takes it: stable. */
  readonly id: string;
  /** What a user exports to get it, as the help says it. */
  readonly description: string;
  /** The largest file read. */
  readonly maxBytes: number;
  parse(bytes: Buffer): ImportedItem[];
}

/** The most items one export may hold: the estate one scan is made for (the inventory's own bound). */
export const MAX_IMPORT_ITEMS = 100_000;
/** A text export's largest size; a zip's is its own. */
export const MAX_TEXT_EXPORT_BYTES = 64 * 1024 * 1024;
