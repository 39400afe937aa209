import type { ReuseGroup } from '../check';
import { byCodeUnits } from '../text-order';
import type { AccountWithPassword, EvidenceCollector } from './collector';

/** The groups of accounts that share a password, compared by keyed fingerprint, never side by side. */
export function reuseCollector(): EvidenceCollector<'reuse'> {
  return {
    need: 'reuse',
    provides: 'reuse',
    collect: async ({ withPassword, fingerprints }) => {
      const { groups, byAccount } = groupReused(withPassword, fingerprints);
      return { byAccount, result: { reuseGroups: groups } };
    },
  };
}

/** The groups of accounts that share a password, each stated once and referred to by every member. */
function groupReused(accounts: readonly AccountWithPassword[], fingerprints: ReadonlyMap<string, string>) {
  const byFingerprint = new Map<string, string[]>();
  for (const account of accounts) {
    const fingerprint = fingerprints.get(account.id) as string;
    const group = byFingerprint.get(fingerprint);
    if (group) group.push(account.id);
    else byFingerprint.set(fingerprint, [account.id]);
  }
  const shared = [...byFingerprint.values()]
    .filter((ids) => ids.length > 1)
    .map((ids) => ids.sort(byCodeUnits))
    .sort((a, b) => byCodeUnits(a[0] as string, b[0] as string));
  const groups = shared.map((members, index): ReuseGroup => ({ id: `shared-password-${index + 1}`, members }));
  const byAccount = new Map<string, ReuseGroup>();
  for (const group of groups) for (const id of group.members) byAccount.set(id, group);
  return { groups, byAccount };
}
