/**
 * Adds `value` to the list kept under `key`, making the list on first use. Pushed, not copied: an estate with one
 * owner, one secret or one root would otherwise copy its list once per item.
 */
export function appendTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}
