import type { Account, MfaProviderId } from '../account';
import type { MfaProviderLookup } from '../check';
import { errorName } from '../error-name';
import { MfaLookupError, type MfaProviderAnswer, type MfaStatusSource } from '../evidence-sources';
import type { MfaProviderDescriptor } from '../mfa-provider-descriptor';
import type { PlatformCatalog } from '../platform-catalog';
import type { EvidenceCollector } from './collector';

/** What each account's identity provider says about its second factor. */
export function mfaProviderCollector(
  sources: readonly MfaStatusSource[],
  catalog: readonly MfaProviderDescriptor[],
): EvidenceCollector<'mfaProvider'> {
  return {
    need: 'mfa-provider',
    provides: 'mfaProvider',
    collect: async ({ accounts, platforms }) => ({
      byAccount: await lookUpMfaProviders(accounts, sources, platforms, catalog),
    }),
  };
}

/** A provider this build does not describe: named by its id, its user found as a directory's would be. */
function undescribed(id: MfaProviderId): MfaProviderDescriptor {
  return {
    id,
    name: id,
    userField: 'email (or a username that is an address)',
    userOf: (account) => account.email ?? (account.username?.includes('@') ? account.username : undefined),
  };
}

/**
 * What each account's MFA provider says: the provider the account names (`mfaProvider`), else its platform's where
 * that provider is configured. Each user is asked once per provider. A named provider that is not configured, or an
 * account with no user to ask about, is a failed lookup, so the mfa check reports it could not run.
 */
async function lookUpMfaProviders(
  accounts: readonly Account[],
  sources: readonly MfaStatusSource[],
  platforms: PlatformCatalog,
  catalog: readonly MfaProviderDescriptor[],
): Promise<Map<string, MfaProviderLookup>> {
  const byId = new Map(sources.map((source) => [source.id, source]));
  const described = new Map(catalog.map((descriptor) => [descriptor.id, descriptor]));
  const asked = new Map<string, Promise<MfaProviderAnswer>>();
  const lookups = new Map<string, Promise<MfaProviderLookup>>();
  for (const account of accounts) {
    const explicit = account.mfaProvider;
    const fromPlatform = platforms.find(account.platform)?.mfaProvider;
    const id: MfaProviderId | undefined =
      explicit === 'none'
        ? undefined
        : (explicit ?? (fromPlatform && byId.has(fromPlatform) ? fromPlatform : undefined));
    if (id === undefined) continue;
    const descriptor = described.get(id) ?? undescribed(id);
    const provider = descriptor.name;
    const failed = (reason: string) => Promise.resolve<MfaProviderLookup>({ provider, status: 'failed', reason });
    const source = byId.get(id);
    const user = descriptor.userOf(account);
    if (!source) {
      lookups.set(account.id, failed(`the ${provider} MFA provider is not configured`));
      continue;
    }
    if (user === undefined) {
      lookups.set(account.id, failed(`${provider} needs the account's ${descriptor.userField} to look it up`));
      continue;
    }
    const key = `${id}\u0000${user}`;
    const answer = asked.get(key) ?? source.statusOf(user);
    asked.set(key, answer);
    lookups.set(
      account.id,
      answer.then(
        (answered): MfaProviderLookup => ({ provider, status: 'answered', answer: answered }),
        (error: unknown): MfaProviderLookup => ({
          provider,
          status: 'failed',
          reason:
            error instanceof MfaLookupError ? error.message : `the lookup failed unexpectedly (${errorName(error)})`,
        }),
      ),
    );
  }
  const settled = await Promise.all([...lookups].map(async ([id, lookup]) => [id, await lookup] as const));
  return new Map(settled);
}
