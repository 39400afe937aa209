import {
  type Account,
  type OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import { SafeToShowError } from '../../core/safe-to-show-error';
import type { MemberAccountsSettings } from './member-accounts-settings';

/** One AWS account to read; `name` as Organizations knows it, where it was listed from there. */
export interface MemberAccount {
  readonly id: string;
  readonly name?: string;
}

export interface MemberDiscovery {
  /** The accounts to read, by id. */
  readonly members: readonly MemberAccount[];
  /** Accounts of the organisation not read, with why: suspended or closed, or excluded. */
  readonly skipped: readonly (MemberAccount & { readonly why: string })[];
}

/**
 * The accounts to read this run: listed from Organizations (from the management account or a delegated administrator)
 * under the configured units, walking child units, or taken from `accountIds` as given. An account that is not
 * active (suspended, pending closure, closed) is skipped and said so; so is one in `exclude`.
 */
export async function discoverMembers(
  settings: MemberAccountsSettings,
  organizations: () => OrganizationsClient,
): Promise<MemberDiscovery> {
  const listed =
    settings.accountIds !== undefined
      ? settings.accountIds.map((id) => ({ Id: id }) as Account)
      : await listAccounts(organizations(), settings.organizationUnits ?? 'all');
  const excluded = new Set(settings.exclude);
  const members: MemberAccount[] = [];
  const skipped: (MemberAccount & { why: string })[] = [];
  const seen = new Set<string>();
  for (const account of listed) {
    const id = account.Id;
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    const member = { id, ...(account.Name !== undefined && { name: account.Name }) };
    // `State` is the newer field (it tells CLOSED apart); `Status` is what older answers hold.
    const state = account.State ?? account.Status ?? 'ACTIVE';
    if (excluded.has(id)) skipped.push({ ...member, why: 'excluded (accounts.exclude)' });
    else if (state !== 'ACTIVE') skipped.push({ ...member, why: state.toLowerCase().replace('_', ' ') });
    else members.push(member);
  }
  const byId = (a: MemberAccount, b: MemberAccount) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { members: members.sort(byId), skipped: skipped.sort(byId) };
}

/**
 * The most accounts a listing takes: an organisation's quota is far below it, so an answer past it is an endless or
 * hostile one, refused with a clear error rather than held in memory.
 */
export const MAX_LISTED_ACCOUNTS = 10_000;

/** Every account of the organisation, or those under the units (and their child units, at any depth). */
async function listAccounts(client: OrganizationsClient, units: 'all' | readonly string[]): Promise<Account[]> {
  const accounts: Account[] = [];
  const take = (page: readonly Account[] | undefined) => {
    accounts.push(...(page ?? []));
    if (accounts.length > MAX_LISTED_ACCOUNTS) {
      throw new SafeToShowError(
        `Organizations listed more than ${MAX_LISTED_ACCOUNTS} accounts: more than this monitor reads in one run (name fewer units, or accountIds)`,
      );
    }
  };
  if (units === 'all') {
    for await (const page of paginateListAccounts({ client }, {})) take(page.Accounts);
    return accounts;
  }
  // Breadth first over the units; a unit reached twice (listed, and under another listed one) is walked once.
  const queue = [...units];
  const walked = new Set<string>();
  for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
    if (walked.has(unit)) continue;
    walked.add(unit);
    if (walked.size > MAX_LISTED_ACCOUNTS) {
      throw new SafeToShowError(
        `Organizations listed more than ${MAX_LISTED_ACCOUNTS} organizational units under those named`,
      );
    }
    for await (const page of paginateListAccountsForParent({ client }, { ParentId: unit })) take(page.Accounts);
    for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: unit })) {
      for (const child of page.OrganizationalUnits ?? []) if (child.Id !== undefined) queue.push(child.Id);
    }
  }
  return accounts;
}
