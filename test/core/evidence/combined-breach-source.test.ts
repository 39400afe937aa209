import { CombinedBreachSource } from '../../../lambdas/core/evidence/combined-breach-source';
import { BreachLookupError, type BreachRangeSource } from '../../../lambdas/core/evidence-sources';

/** A corpus in memory that records the prefixes it was asked for. */
function corpus(counts: Record<string, number>, concurrency?: number) {
  const asked: string[] = [];
  const source: BreachRangeSource = {
    ...(concurrency !== undefined && { concurrency }),
    countsFor: async (prefix, suffixes) => {
      asked.push(prefix);
      return new Map(
        [...suffixes].flatMap((suffix) => {
          const count = counts[prefix + suffix];
          return count === undefined ? [] : [[suffix, count] as const];
        }),
      );
    },
  };
  return { source, asked };
}

const failing = (error: unknown): BreachRangeSource => ({ countsFor: async () => Promise.reject(error) });

describe('Class: CombinedBreachSource', () => {
  it('counts a password as breached when either source holds it, with the larger count, asking each the prefix only', async () => {
    const local = corpus({ ABCDE0001: 3, ABCDE0002: 10 });
    const api = corpus({ ABCDE0002: 40, ABCDE0003: 7 });

    const counts = await new CombinedBreachSource([local.source, api.source]).countsFor(
      'ABCDE',
      new Set(['0001', '0002', '0003', '0004']),
    );

    expect(Object.fromEntries(counts)).toEqual({ '0001': 3, '0002': 40, '0003': 7 });
    expect([local.asked, api.asked]).toEqual([['ABCDE'], ['ABCDE']]);
  });

  it('fails closed when either source fails, saying which, never passing the password on the other', async () => {
    const clean = corpus({});
    const combined = new CombinedBreachSource([
      clean.source,
      failing(new BreachLookupError('the breach range lookup failed after 4 attempts: HTTP 503')),
    ]);

    await expect(combined.countsFor('ABCDE', new Set(['0001']))).rejects.toThrow(
      new BreachLookupError('source 2 of 2: the breach range lookup failed after 4 attempts: HTTP 503'),
    );
  });

  it("names an unexpected failure by its error's name only, never its message", async () => {
    const combined = new CombinedBreachSource([corpus({}).source, failing(new TypeError('secret text ABCDE0001'))]);

    await expect(combined.countsFor('ABCDE', new Set(['0001']))).rejects.toThrow(
      'source 2 of 2: the breach source failed unexpectedly (TypeError)',
    );
  });

  it('keeps as many lookups pending as its busiest source serves, and needs two sources', () => {
    expect(new CombinedBreachSource([corpus({}, 50).source, corpus({}).source]).concurrency).toBe(50);
    expect(new CombinedBreachSource([corpus({}).source, corpus({}).source]).concurrency).toBeUndefined();
    expect(() => new CombinedBreachSource([corpus({}).source])).toThrow(RangeError);
  });
});
