import { BreachLookupError, type BreachRangeSource } from '../evidence-sources';
import { breachFailureReason } from './breach';

/**
 * Several breach corpora asked as one (a local range directory and the public API, say): a password counts as breached
 * when any of them holds it, with the largest count any gives; the lookup fails when any of them fails, so a source
 * that is down never lets a password pass on the others' word. Each is asked for the same 5-hex prefix only.
 * Conditional lookups (`countsSince`) are not offered: a remembered count is the sources' largest, and no one source's
 * "unchanged" can say that the largest is unchanged, so every range is fetched whole.
 */
export class CombinedBreachSource implements BreachRangeSource {
  readonly concurrency?: number;

  constructor(private readonly sources: readonly BreachRangeSource[]) {
    if (sources.length < 2) throw new RangeError('a combined breach source needs two sources or more');
    const declared = sources.flatMap((source) => (source.concurrency === undefined ? [] : [source.concurrency]));
    // The most the busiest source serves at once: each source still holds its own requests to its own limit.
    if (declared.length > 0) this.concurrency = Math.max(...declared);
  }

  async countsFor(prefix: string, suffixes: ReadonlySet<string>): Promise<ReadonlyMap<string, number>> {
    const answers = await Promise.allSettled(this.sources.map((source) => source.countsFor(prefix, suffixes)));
    const failures = answers.flatMap((answer, index) =>
      answer.status === 'rejected'
        ? [`source ${index + 1} of ${answers.length}: ${breachFailureReason(answer.reason)}`]
        : [],
    );
    if (failures.length > 0) throw new BreachLookupError(failures.join('; '));
    const counts = new Map<string, number>();
    for (const answer of answers) {
      if (answer.status !== 'fulfilled') continue;
      for (const [suffix, count] of answer.value) counts.set(suffix, Math.max(count, counts.get(suffix) ?? 0));
    }
    return counts;
  }
}
