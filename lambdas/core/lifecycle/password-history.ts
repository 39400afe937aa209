import type { Account } from '../account';
import type { PasswordRecord } from './lifecycle-state';

/**
 * The password's real change date, from what was remembered of it. Where the password was read (`fingerprint` is
 * its keyed fingerprint): same fingerprint as before, so it has been in place since the earlier of the remembered and
 * the stated date (an edit that kept the password resets nothing), and its strength verdict still holds; a new
 * fingerprint starts from the stated date. Where it was not read (the password-age function): the remembered date
 * holds while the stated date is the one it was remembered with.
 */
export function withPasswordHistory(
  account: Account,
  remembered: PasswordRecord | undefined,
  fingerprint: string | undefined,
): { readonly account: Account; readonly record?: PasswordRecord } {
  const stated = account.passwordChangedAt;
  if (fingerprint === undefined) {
    const sameVersion =
      remembered?.statedChangedAt !== undefined && remembered.statedChangedAt === stated?.toISOString();
    return { account: sameVersion && remembered.passwordSince ? atDate(account, remembered.passwordSince) : account };
  }
  const same = remembered?.fingerprint === fingerprint ? remembered : undefined;
  const since = same ? earliest(same.passwordSince, stated?.toISOString()) : stated?.toISOString();
  const record: PasswordRecord = {
    accountId: account.id,
    fingerprint,
    ...(since !== undefined && { passwordSince: since }),
    ...(stated !== undefined && { statedChangedAt: stated.toISOString() }),
    ...(same?.strength && { strength: same.strength }),
    ...(same?.strengthInputs && { strengthInputs: same.strengthInputs }),
    ...(same?.breach && { breach: same.breach }),
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
