import type { MfaAttestation } from '../../../lambdas/core/account';
import type { MfaProviderLookup } from '../../../lambdas/core/check';
import { CheckUnavailableError } from '../../../lambdas/core/check';
import { checkFindings } from '../../../lambdas/core/check-findings';
import { mfaCheck } from '../../../lambdas/core/checks/mfa';
import { PlatformCatalog } from '../../../lambdas/core/platform-catalog';
import { parsePolicy } from '../../../lambdas/core/policy';
import type { SecondFactor } from '../../../lambdas/core/second-factor';
import { aContext, anAccount, NOW } from '../../support/accounts';

const VALID_SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const attested = (status: MfaAttestation['status'], days?: number): MfaAttestation => ({
  status,
  ...(days !== undefined && { attestedAt: daysAgo(days) }),
});
const catalog = new PlatformCatalog([
  { domain: 'x.com', name: 'X', aliases: ['twitter.com'], mfa: ['totp', 'u2f'] },
  { domain: 'legacy-portal.example', name: 'Legacy portal', aliases: [], mfa: [] },
]);

describe('Check: mfa', () => {
  it.each([
    ['an owner says it is disabled', { mfa: attested('disabled', 1), totp: VALID_SEED }, 'critical', 'disabled'],
    ['no seed and no attestation on a platform with MFA', {}, 'high', 'no-evidence'],
    ['no evidence on an unknown platform', { platform: 'unknown.example' }, 'high', 'no-evidence'],
    ['the stored seed is too short', { totp: 'JBSWY3DP' }, 'high', 'invalid-totp'],
    ['the stored seed is not base32', { totp: 'not a seed!' }, 'high', 'invalid-totp'],
    [
      'the otpauth URI is for HOTP',
      { totp: `otpauth://hotp/X:a?secret=${VALID_SEED}&counter=1` },
      'high',
      'invalid-totp',
    ],
    ['the attestation is older than 180 days', { mfa: attested('enabled', 181) }, 'medium', 'stale-attestation'],
    ['the attestation has no date', { mfa: attested('enabled') }, 'medium', 'stale-attestation'],
    ['the platform offers no MFA', { platform: 'legacy-portal.example' }, 'medium', 'unavailable'],
    [
      'the owner says an unknown platform has none',
      { platform: 'other.example', mfa: attested('unsupported', 1) },
      'medium',
      'unavailable',
    ],
    [
      'the owner says unsupported where the catalog knows better',
      { mfa: attested('unsupported', 1) },
      'high',
      'no-evidence',
    ],
  ] as const)('when %s: %s %s', (_case, overrides, severity, kind) => {
    const findings = checkFindings(mfaCheck, anAccount(overrides), aContext({ platforms: catalog }));

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity, id: `press-office/x#mfa:${kind}` });
  });

  it.each([
    ['a working base32 seed', { totp: VALID_SEED }],
    ['a working seed written in lower case with spaces', { totp: 'jbsw y3dp ehpk 3pxp' }],
    [
      'a working otpauth URI',
      { totp: `otpauth://totp/X:press?secret=${VALID_SEED}&issuer=X&digits=8&algorithm=SHA256` },
    ],
    ['a fresh attestation', { mfa: attested('enabled', 180) }],
    ['an alias domain with a seed', { platform: 'twitter.com', totp: VALID_SEED }],
  ])('passes with %s', (_case, overrides) => {
    expect(checkFindings(mfaCheck, anAccount(overrides), aContext({ platforms: catalog }))).toEqual([]);
  });

  it('states the strength of the evidence it had', () => {
    const level = (overrides: object) =>
      checkFindings(mfaCheck, anAccount(overrides), aContext({ platforms: catalog }))[0]?.evidence.evidence;

    expect(level({ mfa: attested('disabled', 1), totp: VALID_SEED })).toBe('vault');
    expect(level({ mfa: attested('enabled', 400) })).toBe('attested');
    expect(level({})).toBe('none');
  });

  it('never quotes the seed in a finding', () => {
    const seed = 'ABCDEFGHIJKLMNOP!';
    const [found] = checkFindings(mfaCheck, anAccount({ totp: seed }), aContext({ platforms: catalog }));

    expect(JSON.stringify(found)).not.toContain('ABCDEFGH');
  });

  it('does not ask for a TOTP seed on a platform that issues none', () => {
    const smsOnly = new PlatformCatalog([
      { domain: 'newswire.example', name: 'Newswire', aliases: [], mfa: ['sms', 'custom'] },
    ]);

    const [found] = checkFindings(
      mfaCheck,
      anAccount({ platform: 'newswire.example' }),
      aContext({ platforms: smsOnly }),
    );

    expect(found?.remediation).toBe(
      "Turn on the second factor Newswire offers (SMS codes or the platform's own app or prompt) and record it (mfa: enabled, with today as attestedAt); it issues no TOTP seed to store.",
    );
    expect(checkFindings(mfaCheck, anAccount(), aContext({ platforms: catalog }))[0]?.remediation).toContain(
      'store the TOTP seed',
    );
  });

  it('takes the attestation age limit from the policy', () => {
    const policy = parsePolicy({ mfa: { attestationMaxAgeDays: 30 } });

    expect(
      checkFindings(mfaCheck, anAccount({ mfa: attested('enabled', 31) }), aContext({ policy, platforms: catalog })),
    ).toHaveLength(1);
  });

  describe('with an answer from an identity provider', () => {
    const answered = (answer: object): MfaProviderLookup => ({
      provider: 'Google Workspace',
      status: 'answered',
      answer: { enrolled: true, ...answer },
    });
    const run = (mfaProvider: MfaProviderLookup, overrides: object = {}) =>
      checkFindings(mfaCheck, anAccount(overrides), aContext({ platforms: catalog, evidence: { mfaProvider } }));

    it.each([
      [
        'not enrolled, whatever the owner attested',
        { enrolled: false },
        { mfa: attested('enabled', 1) },
        'critical',
        'not-enrolled',
      ],
      [
        'not enrolled, though a working seed is stored',
        { enrolled: false },
        { totp: VALID_SEED },
        'critical',
        'not-enrolled',
      ],
      ['enrolled but not enforced', { enforced: false }, {}, 'low', 'not-enforced'],
      [
        'enrolled, though the owner recorded it disabled',
        { enforced: false },
        { mfa: attested('disabled', 1) },
        'low',
        'not-enforced',
      ],
    ] as const)('reports %s', (_case, answer, overrides, severity, kind) => {
      const findings = run(answered(answer), overrides);

      expect(findings.map((found) => [found.id, found.severity])).toEqual([[`press-office/x#mfa:${kind}`, severity]]);
      expect(findings[0]?.evidence).toMatchObject({ evidence: 'verified', provider: 'Google Workspace' });
    });

    it('passes when enrolled and enforced, or enrolled where the provider does not say', () => {
      expect(run(answered({ enforced: true }))).toEqual([]);
      expect(run(answered({}))).toEqual([]);
    });

    it("says why it is not enforced, and lists the provider's methods", () => {
      const [found] = run(
        answered({ enforced: false, methods: ['microsoftAuthenticatorPush'], notEnforcedBecause: 'policy says so' }),
      );

      expect(found?.detail).toContain('(policy says so)');
      expect(found?.evidence.methods).toEqual(['microsoftAuthenticatorPush']);
    });

    it('still reports a stored seed that does not work', () => {
      expect(run(answered({ enforced: true }), { totp: 'JBSWY3DP' }).map((found) => found.id)).toEqual([
        'press-office/x#mfa:invalid-totp',
      ]);
    });

    it('cannot run, rather than pass, when the provider could not answer', () => {
      const failed: MfaProviderLookup = { provider: 'AWS IAM', status: 'failed', reason: 'IAM refused (403)' };

      expect(() => run(failed, { totp: VALID_SEED, mfa: attested('enabled', 1) })).toThrow(
        new CheckUnavailableError('AWS IAM could not say whether MFA is on: IAM refused (403)'),
      );
    });
  });

  describe('the strength of the second factor', () => {
    const platforms = new PlatformCatalog([
      { domain: 'x.com', name: 'X', aliases: [], mfa: ['totp', 'u2f', 'sms'] },
      { domain: 'newswire.example', name: 'Newswire', aliases: [], mfa: ['sms'] },
      { domain: 'mail.example', name: 'Mail', aliases: [], mfa: ['passkey', 'email'] },
    ]);
    const provider = (methods: string[], enforced = true): MfaProviderLookup => ({
      provider: 'Microsoft Entra ID',
      status: 'answered',
      answer: { enrolled: true, enforced, methods },
    });
    const kindsOf = (overrides: object, mfaProvider?: MfaProviderLookup) =>
      checkFindings(
        mfaCheck,
        anAccount(overrides),
        aContext({ platforms, evidence: mfaProvider ? { mfaProvider } : {} }),
      ).map((found) => `${found.id.split(':').pop()} ${found.severity}`);
    const owner = (methods: SecondFactor[]) => ({
      mfa: { status: 'enabled' as const, attestedAt: daysAgo(1), methods },
    });

    it.each([
      ['the provider lists only phone methods', {}, provider(['sms']), ['sms-only medium']],
      ['the provider lists only email', {}, provider(['email']), ['email-only medium']],
      ['the provider lists SMS and email', {}, provider(['sms', 'email']), ['sms-only medium']],
      ['the provider lists SMS and an authenticator', {}, provider(['sms', 'app-push']), []],
      ['the provider lists SMS, and a working seed is stored', { totp: VALID_SEED }, provider(['sms']), []],
      ['the provider lists a method it has no name for', {}, provider(['sms', 'hardwareSecureTokenX']), []],
      ['the provider lists nothing', {}, provider([]), []],
      ['SMS only and not enforced', {}, provider(['sms'], false), ['not-enforced low', 'sms-only medium']],
      ['the owner attests SMS only', owner(['sms']), undefined, ['sms-only medium']],
      [
        'the owner attests email only on a platform with passkeys',
        { platform: 'mail.example', ...owner(['email']) },
        undefined,
        ['email-only medium'],
      ],
      ['the owner attests SMS and a security key', owner(['sms', 'security-key']), undefined, []],
      ['the owner attests nothing about methods', owner([]), undefined, []],
      [
        'SMS only on a platform that offers nothing better',
        { platform: 'newswire.example', ...owner(['sms']) },
        undefined,
        [],
      ],
      [
        'SMS only on a platform the catalog does not know',
        { platform: 'unknown.example', ...owner(['sms']) },
        undefined,
        [],
      ],
      [
        'SMS only, but the provider says not enrolled',
        {},
        { ...provider(['sms']), answer: { enrolled: false, methods: ['sms'] } } as MfaProviderLookup,
        ['not-enrolled critical'],
      ],
    ])('%s', (_case, overrides, mfaProvider, kinds) => {
      expect(kindsOf(overrides, mfaProvider)).toEqual(kinds);
    });

    it('names the stronger factor the platform offers, and the factors it saw, never a number or address', () => {
      const [found] = checkFindings(
        mfaCheck,
        anAccount({ ...owner(['sms']), email: 'press@northshire.example' }),
        aContext({ platforms }),
      );

      expect(found?.detail).toBe(
        "The owner says this X login's only second factor is a code by SMS (or a call): a SIM swap or a ported number gets past it. X offers an authenticator app and a security key.",
      );
      expect(found?.remediation).toContain('Add an authenticator app as the second factor on X');
      expect(found?.evidence).toMatchObject({ evidence: 'attested', registeredFactors: ['sms'] });
      expect(JSON.stringify(found)).not.toContain('press@northshire.example');
    });

    it.each([
      ['a passkey only', 'mail.example', ['email'], 'Mail offers a passkey.', 'Add a passkey as the second factor'],
      [
        'all three',
        'all.example',
        ['sms'],
        'All offers an authenticator app, a security key and a passkey.',
        'Add an authenticator app as the second factor',
      ],
    ] as const)('names the stronger factors in a sentence: %s', (_case, platform, methods, offers, advice) => {
      const catalogWithAll = new PlatformCatalog([
        { domain: 'mail.example', name: 'Mail', aliases: [], mfa: ['passkey', 'email'] },
        { domain: 'all.example', name: 'All', aliases: [], mfa: ['sms', 'passkey', 'u2f', 'totp'] },
      ]);
      const [found] = checkFindings(
        mfaCheck,
        anAccount({ platform, ...owner([...methods]) }),
        aContext({ platforms: catalogWithAll }),
      );

      expect(found?.detail).toMatch(new RegExp(` ${offers.replaceAll('.', '\\.')}$`));
      expect(found?.remediation).toContain(advice);
    });
  });
});
