import type { KnowersLookup } from '../check';
import { errorName } from '../error-name';
import type { SecretReadSource } from '../evidence-sources';
import { appendTo } from '../grouping';
import { safeMessageOf } from '../safe-to-show-error';
import { type SecretRead, secretNameOf } from '../secret-reads';
import type { EvidenceCollector } from './collector';

/**
 * Who read each login's secret: the source's reads matched to the logins by the secret they name (its ARN, or its
 * name, which for an inventory file is the login's id). Linear in the reads and the logins: the reads are indexed once.
 * Without a source, or when it cannot say, every login's lookup fails and the knowers check reports it could not run.
 */
export function knowersCollector(source: SecretReadSource | undefined): EvidenceCollector<'knowers'> {
  return {
    need: 'reads',
    provides: 'knowers',
    async collect({ accounts, resources }) {
      const byAccount = new Map<string, KnowersLookup>();
      const failed = (reason: string) => {
        for (const account of accounts) byAccount.set(account.id, { status: 'failed', reason });
        return { byAccount };
      };
      if (source === undefined) return failed('no source of secret reads is configured');
      let loaded: Awaited<ReturnType<SecretReadSource['load']>>;
      const secrets = accounts.flatMap((account) => {
        const resource = resources.get(account.id);
        return resource === undefined ? [account.id] : [account.id, secretNameOf(resource)];
      });
      try {
        loaded = await source.load(secrets);
      } catch (error) {
        return failed(`${source.name} could not be read: ${safeMessageOf(error) ?? errorName(error)}`);
      }
      const bySecret = new Map<string, SecretRead[]>();
      for (const read of loaded.reads) {
        for (const key of new Set([read.secret, secretNameOf(read.secret)])) appendTo(bySecret, key, read);
      }
      for (const account of accounts) {
        const resource = resources.get(account.id);
        const keys = new Set([account.id, ...(resource === undefined ? [] : [resource, secretNameOf(resource)])]);
        const reads = new Set<SecretRead>();
        for (const key of keys) for (const read of bySecret.get(key) ?? []) reads.add(read);
        byAccount.set(account.id, {
          status: 'known',
          reads: [...reads],
          leavers: loaded.leavers,
          ignore: loaded.monitorPrincipals,
        });
      }
      return { byAccount };
    },
  };
}
