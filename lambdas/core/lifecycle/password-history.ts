import type { Account } from '../account';
import type { PasswordRecord } from './lifecycle-state';

/**
 * The password's real change date, from what was remembered of it. Where the password was read (`fingerprint` is
 * its keyed fingerprint): same fingerprint as before, so it has been in place since the earlier of the remembered and
 * the stated date (an edit that kept the password resets nothing), and its strength verdict still holds; a new
 * fingerprint starts from the stated date. Where it was not read (the password-age function): the remembered date
 * holds. A secret version the history has not fingerprinted yet is no proof of a new password (an edit that keeps the
 * password makes one too), so the remembered date stands until the function that reads passwords has seen that
 * version: reporting the age as fixed and then as new again would be two false messages.
 */
export function withPasswordHistory(
  account: Account,
  remembered: PasswordRecord | undefined,
  fingerprint: string | undefined,
): { readonly account: Account; readonly record?: PasswordRecord } {
  const stated = account.passwordChangedAt;
  if (fingerprint === undefined) {
    return { account: remembered?.passwordSince ? atDate(account, remembered.passwordSince) : account };
  }
  const same = remembered?.fingerprint === fingerprint ? remembered : undefined;
  const since = same ? earliest(same.passwordSince, stated?.toISOString()) : stated?.toISOString();
  const record = passwordRecord({
    accountId: account.id,
    fingerprint,
    passwordSince: since,
    statedChangedAt: stated?.toISOString(),
    strength: same?.strength,
    strengthInputs: same?.strengthInputs,
    breach: same?.breach,
  });
  return { account: since === undefined ? account : atDate(account, since), record };
}

/**
 * A password record with its fields always in one order and absent ones left out. Every record then shares one
 * hidden class: V8 gives each object built as `{ ...record, a, b }` a shape of its own, which across tens of
 * thousands of records costs megabytes and slows every read of them.
 */
export function passwordRecord(fields: PasswordRecord): PasswordRecord {
  const { accountId, fingerprint, passwordSince, statedChangedAt, strength, strengthInputs, breach } = fields;
  return {
    accountId,
    fingerprint,
    ...(passwordSince !== undefined && { passwordSince }),
    ...(statedChangedAt !== undefined && { statedChangedAt }),
    ...(strength !== undefined && { strength }),
    ...(strengthInputs !== undefined && { strengthInputs }),
    ...(breach !== undefined && { breach }),
  };
}

function atDate(account: Account, iso: string): Account {
  return { ...account, passwordChangedAt: new Date(iso) };
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}
