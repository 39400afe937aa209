import { MFA_PROVIDER_IDS } from '../../lambdas/adapters/mfa-providers/descriptors';
import { identifyingFields, parseAccount } from '../../lambdas/core/account-parser';

const NOW = new Date('2026-06-01T00:00:00Z');
const PASSWORD = 'Xq7!secret-value-9';
const valid = {
  id: 'press-office/x',
  platform: 'X.com',
  owner: 'press-office',
  username: 'NorthshirePolice',
  email: 'press@northshire-police.example',
  password: PASSWORD,
  passwordChangedAt: '2025-01-31',
  totp: 'JBSWY3DPEHPK3PXP',
  mfa: { status: 'enabled', attestedAt: '2026-05-01T09:30:00+01:00' },
};

describe('Function: parseAccount', () => {
  it('reads every documented field, normalising the platform and the dates', () => {
    const result = parseAccount(valid, NOW);

    expect(result).toEqual({
      ok: true,
      account: {
        ...valid,
        platform: 'x.com',
        passwordChangedAt: new Date('2025-01-31T00:00:00Z'),
        mfa: { status: 'enabled', attestedAt: new Date('2026-05-01T08:30:00Z') },
      },
    });
  });

  it('needs only id, platform and password; null and blank optional fields mean absent', () => {
    const result = parseAccount({ id: 'a', platform: 'x.com', password: 'p', owner: null, email: '', totp: null }, NOW);

    expect(result).toEqual({ ok: true, account: { id: 'a', platform: 'x.com', password: 'p' } });
  });

  it.each([
    ['missing password', { password: undefined }, 'password: is required'],
    ['empty password', { password: '' }, 'password: must not be empty'],
    ['numeric password', { password: 12345 }, 'password: must be a string'],
    ['1 MB password', { password: 'a'.repeat(1024 * 1024) }, 'password: must be at most 1024 characters'],
    ['newline in password', { password: 'abc\n' }, 'password: contains control characters (a pasted newline or tab?)'],
    ['lone surrogate in password', { password: 'abc\uD800' }, 'password: is not valid Unicode'],
    ['missing id', { id: undefined }, 'id: is required'],
    ['blank id', { id: '  ' }, 'id: must not be blank'],
    ['platform as a URL', { platform: 'https://x.com/police' }, 'platform: must be a domain such as x.com'],
    ['impossible date', { passwordChangedAt: '2025-02-30' }, 'passwordChangedAt: must be an ISO 8601 date'],
    ['date with no zone', { passwordChangedAt: '2025-02-01T10:00:00' }, 'passwordChangedAt: must be an ISO 8601 date'],
    ['future change date', { passwordChangedAt: '2026-06-03' }, 'passwordChangedAt: is in the future'],
    [
      'future attestation',
      { mfa: { status: 'enabled', attestedAt: '2027-01-01' } },
      'mfa.attestedAt: is in the future',
    ],
    ['unknown mfa status', { mfa: { status: 'on' } }, 'mfa.status: must be one of enabled, disabled, unsupported'],
    ['mfa as a string', { mfa: 'enabled' }, 'mfa: must be an object'],
    [
      'an unknown second factor',
      { mfa: { status: 'enabled', methods: ['sms', 'pigeon'] } },
      'mfa.methods[1]: must be among sms, email, totp, security-key, passkey, app-push',
    ],
    ['second factors as a string', { mfa: { status: 'enabled', methods: 'sms' } }, 'mfa.methods: must be a list'],
    ['bad email', { email: 'press-at-example' }, 'email: must be an email address'],
    ['misspelt field', { pasword: 'x' }, 'pasword: is not a known field'],
    ['id with a right-to-left override', { id: 'press-office/\u202ex' }, 'id: contains invisible or text-reordering'],
    ['id with a zero-width space', { id: 'press-office/\u200bx' }, 'id: contains invisible or text-reordering'],
    ['owner with a line separator', { owner: 'press\u2028office' }, 'owner: contains invisible or text-reordering'],
    ['id of the placeholder form', { id: 'inventory[1]' }, 'id: is of the form inventory[N]'],
    ['year 0025, a typo', { passwordChangedAt: '0025-03-14' }, 'passwordChangedAt: is before 1970-01-01'],
    [
      'unknown MFA provider',
      { mfaProvider: 'okta' },
      'mfaProvider: must be one of google-workspace, microsoft-entra, aws-iam, none',
    ],
  ])('rejects a %s, naming the field', (_case, change, problem) => {
    const result = parseAccount({ ...valid, ...change }, NOW, { mfaProviderIds: MFA_PROVIDER_IDS });

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.some((line) => line.startsWith(problem))).toBe(true);
  });

  it('reads the MFA provider an entry names', () => {
    const result = parseAccount({ ...valid, mfaProvider: 'aws-iam' }, NOW);

    expect(result.ok && result.account.mfaProvider).toBe('aws-iam');
  });

  it.each([
    ['a string', 'hunter2'],
    ['an array', [valid]],
    ['null', null],
    ['a number', 42],
  ])('rejects %s as a whole entry', (_case, raw) => {
    expect(parseAccount(raw, NOW)).toEqual({ ok: false, problems: ['(entry): must be a JSON object'] });
  });

  it('rejects a __proto__ key instead of letting it through', () => {
    const raw = JSON.parse(`{"__proto__": {"owner": "x"}, "id": "a", "platform": "x.com", "password": "p"}`);

    expect(parseAccount(raw, NOW)).toEqual({ ok: false, problems: ['__proto__: is not a known field'] });
  });

  it('checks an oversized email for its length alone: the address pattern never runs on 200,000 characters', () => {
    const result = parseAccount({ ...valid, email: `${'a'.repeat(200_000)}.example` }, NOW);

    // Only the length problem: the pattern (once quadratic, 22 s at this size) was not run at all.
    expect(result).toEqual({ ok: false, problems: ['email: must be at most 320 characters'] });
  });

  it('lists every problem at once and never quotes a value', () => {
    const result = parseAccount(
      { id: 7, platform: PASSWORD, password: `${PASSWORD}\t`, mfa: { status: PASSWORD } },
      NOW,
    );

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(4);
    expect(JSON.stringify(result.problems)).not.toContain(PASSWORD);
  });
});

describe('Function: identifyingFields', () => {
  it('takes id, platform and owner only, and only when they are plain strings', () => {
    expect(identifyingFields({ id: 'a', platform: 'x.com', owner: 7, password: PASSWORD })).toEqual({
      id: 'a',
      platform: 'x.com',
    });
    expect(identifyingFields('not an object')).toEqual({});
    expect(identifyingFields({ id: 'line\nbreak' })).toEqual({ id: 'line?break' });
  });
});
