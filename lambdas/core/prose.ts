/** `a`, `a or b`, `a, b or c`: a list as a sentence says it. */
export function inProse(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}
