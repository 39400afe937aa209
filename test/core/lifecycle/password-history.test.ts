import type { PasswordRecord } from '../../../lambdas/core/lifecycle/lifecycle-state';
import { withPasswordHistory } from '../../../lambdas/core/lifecycle/password-history';
import { passwordFingerprint } from '../../../lambdas/core/password-facts';
import { anAccount } from '../../support/accounts';

const KEY = Buffer.alloc(32, 3);
const OLD = '2025-01-01T00:00:00.000Z';
const NEW = '2026-05-20T00:00:00.000Z';
const remember = (record: Partial<PasswordRecord>): PasswordRecord => ({
  accountId: 'press-office/x',
  fingerprint: '',
  ...record,
});
const fingerprintOf = (password: string | undefined) => passwordFingerprint(KEY, password as string);

describe('Function: withPasswordHistory', () => {
  it('keeps the old date when the password is the same but the secret was edited', () => {
    const account = anAccount({ passwordChangedAt: new Date(NEW) });
    const history = remember({ fingerprint: passwordFingerprint(KEY, account.password as string), passwordSince: OLD });

    const { account: adjusted, record } = withPasswordHistory(account, history, fingerprintOf(account.password));

    expect(adjusted.passwordChangedAt?.toISOString()).toBe(OLD);
    expect(record).toMatchObject({ passwordSince: OLD, statedChangedAt: NEW });
  });

  it('starts from the stated date when the password changed', () => {
    const account = anAccount({ passwordChangedAt: new Date(NEW) });

    const { account: adjusted, record } = withPasswordHistory(
      account,
      remember({ fingerprint: 'other', passwordSince: OLD }),
      fingerprintOf(account.password),
    );

    expect(adjusted.passwordChangedAt?.toISOString()).toBe(NEW);
    expect(record?.fingerprint).toBe(passwordFingerprint(KEY, account.password as string));
  });

  it('without the password, uses the remembered date, even for a version not fingerprinted yet', () => {
    const { password: _unread, ...metadataOnly } = anAccount({ passwordChangedAt: new Date(NEW) });

    const same = withPasswordHistory(
      metadataOnly,
      remember({ fingerprint: 'f', passwordSince: OLD, statedChangedAt: NEW }),
      undefined,
    );
    const newer = withPasswordHistory(
      metadataOnly,
      remember({ fingerprint: 'f', passwordSince: OLD, statedChangedAt: OLD }),
      undefined,
    );

    expect(same.account.passwordChangedAt?.toISOString()).toBe(OLD);
    // A newer version (an edit that may have kept the password) is no proof of a new password until it is read.
    expect(newer.account.passwordChangedAt?.toISOString()).toBe(OLD);
    expect(same.record).toBeUndefined();
    const unknown = withPasswordHistory(metadataOnly, undefined, undefined);
    expect(unknown.account.passwordChangedAt?.toISOString()).toBe(NEW);
  });

  it('carries a remembered strength verdict over only for the same password', () => {
    const account = anAccount();
    const strength = { score: 4 as const };

    const same = withPasswordHistory(
      account,
      remember({ fingerprint: fingerprintOf(account.password), strength, strengthInputs: 'd' }),
      fingerprintOf(account.password),
    );
    const changed = withPasswordHistory(
      account,
      remember({ fingerprint: 'other', strength, strengthInputs: 'd' }),
      fingerprintOf(account.password),
    );

    expect(same.record).toMatchObject({ strength, strengthInputs: 'd' });
    expect(changed.record?.strength).toBeUndefined();
  });

  it('never records the password or a plain hash of it', () => {
    const account = anAccount();

    const { record } = withPasswordHistory(account, undefined, fingerprintOf(account.password));

    expect(JSON.stringify(record)).not.toContain(account.password);
    expect(record?.fingerprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
