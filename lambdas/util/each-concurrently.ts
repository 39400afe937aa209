/**
 * Runs `work` on every item with at most `concurrency` of them pending at once: that many workers take the next item
 * as each finishes. Unlike mapping every item to a promise up front, only the pending work is held in memory, so a
 * scan of tens of thousands of ranges keeps a few dozen lookups alive, not all of them. Rejects with the first error
 * `work` throws, after the workers stop taking items.
 */
export async function eachConcurrently<T>(
  items: Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  assertConcurrency(concurrency);
  const next = items[Symbol.iterator]();
  let failed = false;
  const worker = async () => {
    for (let item = next.next(); !item.done && !failed; item = next.next()) {
      try {
        await work(item.value);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Refuses a concurrency that is not a whole number >= 1, so a bad setting fails where it is given. */
export function assertConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError('concurrency must be a whole number >= 1');
  }
}
