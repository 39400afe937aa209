import { MFA_PROVIDER_IDS } from '../../lambdas/adapters/mfa-providers/descriptors';
import { settingsOf } from '../../lambdas/core/check-settings';
import { mfaSettings } from '../../lambdas/core/checks/mfa';
import { passwordAgeSettings } from '../../lambdas/core/checks/password-age';
import { weakPasswordSettings } from '../../lambdas/core/checks/weak-password';
import { PlatformCatalog } from '../../lambdas/core/platform-catalog';
import { DEFAULT_POLICY, PolicyError, parsePolicy } from '../../lambdas/core/policy';

function problemsOf(raw: unknown): readonly string[] {
  try {
    parsePolicy(raw, { mfaProviderIds: MFA_PROVIDER_IDS });
  } catch (error) {
    if (error instanceof PolicyError) return error.problems;
    throw error;
  }
  throw new Error('expected a PolicyError');
}

describe('Function: parsePolicy', () => {
  it('an empty policy is the defaults', () => {
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
    expect([
      settingsOf(DEFAULT_POLICY, passwordAgeSettings),
      settingsOf(DEFAULT_POLICY, weakPasswordSettings),
      settingsOf(DEFAULT_POLICY, mfaSettings),
    ]).toEqual([{ mediumAfterDays: 180, highAfterDays: 365 }, { maxWeakScore: 2 }, { attestationMaxAgeDays: 180 }]);
  });

  it('overrides only the keys it gives', () => {
    const policy = parsePolicy({
      passwordAge: { mediumAfterDays: 90 },
      severityOverrides: { 'mfa:unavailable': 'low' },
    });

    expect(settingsOf(policy, passwordAgeSettings)).toEqual({ mediumAfterDays: 90, highAfterDays: 365 });
    expect(policy.severityOverrides).toEqual({ 'mfa:unavailable': 'low' });
  });

  it.each([
    [{ passwordAge: { mediumAfterDay: 90 } }, 'passwordAge.mediumAfterDay: is not a known field'],
    [{ passwordAges: {} }, 'passwordAges: is not a known field'],
    [{ passwordAge: { mediumAfterDays: -1 } }, 'passwordAge.mediumAfterDays: must be more than 0'],
    [{ passwordAge: { mediumAfterDays: '90' } }, 'passwordAge.mediumAfterDays: must be a number of days'],
    [
      { passwordAge: { mediumAfterDays: 400 } },
      'passwordAge.highAfterDays: must be more than passwordAge.mediumAfterDays (400)',
    ],
    [{ weakPassword: { maxWeakScore: 5 } }, 'weakPassword.maxWeakScore: must be a zxcvbn score from 0 to 4'],
    [{ severityOverrides: { 'mfa:bogus': 'low' } }, 'severityOverrides.mfa:bogus: is not a check id or check:kind'],
    [{ severityOverrides: { ownership: 'urgent' } }, 'severityOverrides.ownership: must be one of critical, high'],
    [[], '(policy): must be a JSON object'],
    [{ platforms: [{ domain: 'Newswire', name: 'N', mfa: [] }] }, 'platforms[0].domain: must be a lower-case domain'],
    [
      { platforms: [{ domain: 'newswire.example', name: 'N', mfa: ['pigeon'] }] },
      'platforms[0].mfa[0]: must be among totp, u2f, passkey, sms, email, custom',
    ],
    [
      { platforms: [{ domain: 'press.example', name: 'P', mfa: ['totp'], mfaProvider: 'okta' }] },
      'platforms[0].mfaProvider: must be one of google-workspace, microsoft-entra, aws-iam',
    ],
    [
      {
        platforms: [
          { domain: 'press.example', name: 'P', mfa: [], links: { changePassword: 'http://press.example/password' } },
        ],
      },
      'platforms[0].links.changePassword: must be an https URL',
    ],
    [
      { platforms: [{ domain: 'press.example', name: 'P', mfa: [], links: { secondFactor: 'javascript:alert(1)' } }] },
      'platforms[0].links.secondFactor: must be an https URL',
    ],
  ])('names the bad key in %j', (raw, problem) => {
    expect(problemsOf(raw).some((line) => line.startsWith(problem))).toBe(true);
  });

  it('adds platforms to the bundled catalog, replacing one it knows by domain', async () => {
    const policy = parsePolicy({
      platforms: [
        { domain: 'newswire.example', name: 'Newswire', mfa: [] },
        { domain: 'x.com', name: 'X (no app here)', aliases: ['twitter.com'], mfa: ['sms'] },
        { domain: 'press.example.org', name: 'Press mailbox', mfa: ['totp'], mfaProvider: 'google-workspace' },
      ],
    });
    const catalog = PlatformCatalog.bundled(policy.platforms);

    expect(catalog.mfaSupport('newswire.example')).toBe('unsupported');
    expect(catalog.find('twitter.com')?.mfa).toEqual(['sms']);
    expect(catalog.find('facebook.com')?.name).toBe('Facebook');
    expect(catalog.find('press.example.org')?.mfaProvider).toBe('google-workspace');
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ passwordAge: { mediumAfterDays: 0, highAfterDays: 'x' }, extra: 1 })).toHaveLength(3);
  });

  // The schemas use zod/mini, which has no locale until one is configured (lambdas/core/zod.ts): without it, a
  // field with no message of its own would say only "Invalid input".
  it('says what is wrong in English where a field has no message of its own', () => {
    expect(
      problemsOf({ platforms: [{ domain: 'newswire.example', name: 'Newswire', aliases: [''], mfa: [] }] }),
    ).toEqual(['platforms[0].aliases[0]: Too small: expected string to have >=1 characters']);
  });
});

describe('Function: parsePolicy, text from outside', () => {
  it.each([
    ['a platform name with a line break', { platforms: [{ domain: 'newswire.example', name: 'News\nwire', mfa: [] }] }],
    [
      'a platform name with a right-to-left override',
      { platforms: [{ domain: 'newswire.example', name: 'News\u202ewire', mfa: [] }] },
    ],
    ['a platform name with a bell', { platforms: [{ domain: 'newswire.example', name: 'News\u0007wire', mfa: [] }] }],
    [
      'an alias with a zero-width space',
      { platforms: [{ domain: 'newswire.example', name: 'Newswire', aliases: ['news\u200bwire.example'], mfa: [] }] },
    ],
    [
      'a reason with an escape sequence',
      {
        exceptions: [
          { account: 'a', check: 'mfa:unavailable', reason: 'ok\u001b[2J', acceptedBy: 'b', expires: '2026-06-30' },
        ],
      },
    ],
    [
      'an acceptedBy with a bidirectional isolate',
      {
        exceptions: [
          { account: 'a', check: 'mfa:unavailable', reason: 'r', acceptedBy: 'Head\u2066 of', expires: '2026-06-30' },
        ],
      },
    ],
  ])('refuses %s, as the inventory does', (_case, raw) => {
    expect(() => parsePolicy(raw, { now: new Date('2026-06-01T00:00:00Z') })).toThrow(
      /contains (control characters|invisible or text-reordering characters)/,
    );
  });
});
