import { eachConcurrently } from '../../lambdas/util/each-concurrently';

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
