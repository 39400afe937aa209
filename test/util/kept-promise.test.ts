import { KeptPromise } from '../../lambdas/util/kept-promise';

describe('Class: KeptPromise', () => {
  it('makes the value once, however many ask at once, and keeps it', async () => {
    let made = 0;
    const kept = new KeptPromise(async () => ++made);

    expect(await Promise.all([kept.get(), kept.get()])).toEqual([1, 1]);
    expect(await kept.get()).toBe(1);
  });

  it('does not keep a failure: the next use tries again', async () => {
    const outcomes = [new Error('ThrottlingException'), 'secret'];
    const kept = new KeptPromise(async () => {
      const next = outcomes.shift();
      if (next instanceof Error) throw next;
      return next;
    });

    await expect(kept.get()).rejects.toThrow('ThrottlingException');
    expect(await kept.get()).toBe('secret');
  });

  it('makes a new value after forget', async () => {
    let made = 0;
    const kept = new KeptPromise(async () => ++made);

    await kept.get();
    kept.forget();

    expect(await kept.get()).toBe(2);
  });
});
