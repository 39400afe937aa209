/** One raw entry of an inventory: `value` is parsed by `parseAccount`; `ref` says where it came from. */
export interface InventoryEntry {
  /** `inventory[3]` for a file entry, the secret's name for a Secrets Manager entry. Never secret. */
  readonly ref: string;
  readonly value: unknown;
}
