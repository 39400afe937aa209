/**
 * The one concurrency primitive: at most `limit` holders at once; the rest wait their turn in arrival order. Clients
 * share one to bound their requests in flight, and `eachConcurrently` walks a collection with one.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    assertConcurrency(limit);
  }

  /** Waits for a free place and takes it; the returned function gives it back (once). */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.waiting.shift()?.();
    };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/**
 * Runs `work` on every item with at most `concurrency` of them pending at once. An item is taken from `items` only
 * when a place is free: unlike mapping every item to a promise up front, only the pending work is held in memory, so a
 * scan of tens of thousands of ranges keeps a few dozen lookups alive, not all of them. Rejects with the first error
 * `work` throws, after taking no further items and letting the pending ones finish.
 */
export async function eachConcurrently<T>(
  items: Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const limiter = new ConcurrencyLimiter(concurrency);
  const iterator = items[Symbol.iterator]();
  const pending = new Set<Promise<void>>();
  let failure: { readonly error: unknown } | undefined;
  while (failure === undefined) {
    const release = await limiter.acquire();
    const next = failure === undefined ? iterator.next() : { done: true as const, value: undefined };
    if (next.done) {
      release();
      break;
    }
    const task: Promise<void> = work(next.value)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        release();
        pending.delete(task);
      });
    pending.add(task);
  }
  await Promise.all(pending);
  if (failure !== undefined) throw failure.error;
}

/** Refuses a concurrency that is not a whole number >= 1, so a bad setting fails where it is given. */
export function assertConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError('concurrency must be a whole number >= 1');
  }
}
