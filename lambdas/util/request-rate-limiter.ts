import { sleep as wait } from './sleep';

/** Requests are spaced this much wider than the limit allows, so that network jitter cannot bunch them over it. */
const SAFETY_MARGIN = 1.1;

/**
 * Spaces request starts at least `60 s / requestsPerMinute` apart (plus a 10% margin), however many callers wait at
 * once: each caller is given the next free slot before it sleeps, so concurrency can never push the rate over the
 * limit, and jitter in how requests reach the server cannot either.
 */
export class RequestRateLimiter {
  private readonly intervalMs: number;
  private nextSlot = 0;

  constructor(
    requestsPerMinute: number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = wait,
  ) {
    if (!(requestsPerMinute > 0)) throw new RangeError('requestsPerMinute must be more than 0');
    this.intervalMs = (60_000 / requestsPerMinute) * SAFETY_MARGIN;
  }

  /** Resolves when the caller may start its request. */
  async acquire(): Promise<void> {
    const now = this.clock();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.sleep(slot - now);
  }
}
