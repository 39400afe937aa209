/**
 * Orders strings by UTF-16 code units, as `Array.prototype.sort` does: the same order on every machine, where
 * `localeCompare` follows the machine's locale and loads ICU's collation tables to do it.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
