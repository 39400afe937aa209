import { ConcurrencyLimiter, eachConcurrently } from '../../lambdas/util/concurrency';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Function: eachConcurrently', () => {
  it('works through every item with no more than the given number pending at once', async () => {
    let pending = 0;
    let most = 0;
    const done: number[] = [];

    await eachConcurrently(
      Array.from({ length: 40 }, (_, index) => index),
      3,
      async (item) => {
        pending += 1;
        most = Math.max(most, pending);
        await tick();
        done.push(item);
        pending -= 1;
      },
    );

    expect(most).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, index) => index));
  });

  it('takes items from the iterable only as workers free up, so a lazy source is never drained ahead', async () => {
    let taken = 0;
    function* items() {
      for (let index = 0; index < 10; index++) {
        taken += 1;
        yield index;
      }
    }
    const takenWhileWorking: number[] = [];

    await eachConcurrently(items(), 2, async () => {
      takenWhileWorking.push(taken);
      await tick();
    });

    // The k-th item to start was taken with at most one other ahead of it: nothing is read into a queue.
    for (const [started, taken] of takenWhileWorking.entries()) expect(taken).toBeLessThanOrEqual(started + 2);
    expect(takenWhileWorking).toHaveLength(10);
  });

  it('rejects with the first error and takes no further items', async () => {
    const started: number[] = [];

    await expect(
      eachConcurrently([1, 2, 3, 4, 5, 6], 2, async (item) => {
        started.push(item);
        await tick();
        if (item === 2) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    expect(started.length).toBeLessThan(6);
  });

  it('finishes at once on no items, and refuses a concurrency that is not a whole number >= 1', async () => {
    await expect(eachConcurrently([], 4, async () => {})).resolves.toBeUndefined();
    await expect(eachConcurrently([1], 0, async () => {})).rejects.toThrow(RangeError);
    await expect(eachConcurrently([1], 1.5, async () => {})).rejects.toThrow(RangeError);
  });
});

describe('Class: ConcurrencyLimiter', () => {
  it('lets at most its limit run at once and the rest in arrival order, freeing a place when a task fails', async () => {
    const limiter = new ConcurrencyLimiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (id: number, fail = false) =>
      limiter.run(async () => {
        started.push(id);
        running += 1;
        most = Math.max(most, running);
        await tick();
        running -= 1;
        if (fail) throw new Error(`task ${id} failed`);
        return id;
      });

    const results = await Promise.allSettled([task(1, true), task(2), task(3), task(4), task(5)]);

    expect(most).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((result) => result.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
  });

  it('gives a place back once, however often its release is called', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire();
    release();
    release();
    const first = await limiter.acquire();
    let secondTaken = false;
    const second = limiter.acquire().then((next) => {
      secondTaken = true;
      return next;
    });
    await tick();

    expect(secondTaken).toBe(false);
    first();
    (await second)();
    expect(secondTaken).toBe(true);
  });
});
