import type { Account } from '../account';
import { passwordFingerprint } from '../password-facts';
import type { PasswordRecord } from './lifecycle-state';

/**
 * The password's real change date, from what was remembered of it. Where the password was read: same fingerprint
 * as before, so it has been in place since the earlier of the remembered and the stated date (an edit that kept the
 * password resets nothing); a new fingerprint starts from the stated date. Where it was not read (the password-age
 * function): the remembered date holds while the stated date is the one it was remembered with.
 */
export function withPasswordHistory(
  account: Account,
  history: ReadonlyMap<string, PasswordRecord>,
  key: Uint8Array,
): { readonly account: Account; readonly record?: PasswordRecord } {
  const remembered = history.get(account.id);
  const stated = account.passwordChangedAt;
  if (account.password === undefined) {
    const sameVersion =
      remembered?.statedChangedAt !== undefined && remembered.statedChangedAt === stated?.toISOString();
    return { account: sameVersion && remembered.passwordSince ? atDate(account, remembered.passwordSince) : account };
  }
  const fingerprint = passwordFingerprint(key, account.password);
  const unchanged = remembered?.fingerprint === fingerprint;
  const since = unchanged ? earliest(remembered.passwordSince, stated?.toISOString()) : stated?.toISOString();
  const record: PasswordRecord = {
    accountId: account.id,
    fingerprint,
    ...(since !== undefined && { passwordSince: since }),
    ...(stated !== undefined && { statedChangedAt: stated.toISOString() }),
  };
  return { account: since === undefined ? account : atDate(account, since), record };
}

function atDate(account: Account, iso: string): Account {
  return { ...account, passwordChangedAt: new Date(iso) };
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}
