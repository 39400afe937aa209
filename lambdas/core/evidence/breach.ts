import { eachConcurrently } from '../../util/concurrency';
import type { BreachLookup } from '../check';
import { errorName } from '../error-name';
import { BreachLookupError, type BreachRangeSource } from '../evidence-sources';
import { passwordRecord } from '../lifecycle/password-history';
import { sha1Split } from '../password-facts';
import type { AccountWithPassword, CollectionContext, EvidenceCollector } from './collector';

/** Breach counts from a k-anonymity range source: only each password's 5-hex SHA-1 prefix is asked about. */
export function breachCollector(breachSource: BreachRangeSource | undefined): EvidenceCollector<'breach'> {
  return {
    need: 'breach',
    provides: 'breach',
    collect: async (context) => ({ byAccount: await lookUpBreaches(context.withPassword, breachSource, context) }),
  };
}

/** Lookups kept pending for a breach source that does not say how many it serves at once. */
const DEFAULT_BREACH_LOOKUPS_PENDING = 16;

/**
 * One lookup per distinct prefix. Where every account under a prefix remembers its count from a versioned range (an
 * ETag) and the source can revalidate, the lookup is conditional: an unchanged range keeps the remembered counts, and
 * only a changed one is read again. Counts found in a versioned range are written into `records`.
 */
async function lookUpBreaches(
  accounts: readonly AccountWithPassword[],
  breachSource: BreachRangeSource | undefined,
  { records, onProgress }: CollectionContext,
): Promise<Map<string, BreachLookup>> {
  const lookups = new Map<string, BreachLookup>();
  if (!breachSource) {
    for (const account of accounts)
      lookups.set(account.id, { status: 'failed', reason: 'no breach source is configured' });
    return lookups;
  }
  const byPrefix = new Map<string, Map<string, string[]>>();
  for (const account of accounts) {
    const { prefix, suffix } = sha1Split(account.password);
    const bySuffix = byPrefix.get(prefix) ?? new Map<string, string[]>();
    bySuffix.set(suffix, [...(bySuffix.get(suffix) ?? []), account.id]);
    byPrefix.set(prefix, bySuffix);
  }
  const counted = (count: number): BreachLookup => (count > 0 ? { status: 'found', count } : { status: 'not-found' });
  let done = 0;
  await eachConcurrently(
    byPrefix,
    breachSource.concurrency ?? DEFAULT_BREACH_LOOKUPS_PENDING,
    async ([prefix, bySuffix]) => {
      const ids = [...bySuffix.values()].flat();
      const remembered = ids.map((id) => records.get(id)?.breach);
      const etag = remembered.every((each) => each !== undefined && each.etag === remembered[0]?.etag)
        ? remembered[0]?.etag
        : undefined;
      const suffixes = new Set(bySuffix.keys());
      try {
        const answer = breachSource.countsSince
          ? await breachSource.countsSince(prefix, suffixes, etag)
          : { counts: await breachSource.countsFor(prefix, suffixes) };
        if ('unchanged' in answer && etag === undefined) {
          throw new BreachLookupError('the breach source answered "unchanged" for a range this scan had not seen');
        }
        for (const [suffix, accountIds] of bySuffix) {
          for (const id of accountIds) {
            const count =
              'unchanged' in answer ? (records.get(id)?.breach?.count ?? 0) : (answer.counts.get(suffix) ?? 0);
            lookups.set(id, counted(count));
            const record = records.get(id);
            if (record && !('unchanged' in answer) && answer.etag !== undefined) {
              records.set(id, passwordRecord({ ...record, breach: { count, etag: answer.etag } }));
            }
          }
        }
      } catch (error) {
        for (const id of ids) lookups.set(id, { status: 'failed', reason: breachFailureReason(error) });
      }
      onProgress?.({ phase: 'breach', done: ++done, total: byPrefix.size });
    },
  );
  return lookups;
}

/** Why a breach lookup failed, safe to show: a source's own reason, or only the error's name. */
export function breachFailureReason(error: unknown): string {
  if (error instanceof BreachLookupError) return error.message;
  return `the breach source failed unexpectedly (${errorName(error)})`;
}
