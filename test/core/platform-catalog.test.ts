import { MFA_METHODS, PlatformCatalog } from '../../lambdas/core/platform-catalog';
import bundled from '../../lambdas/core/platforms.json';

describe('Class: PlatformCatalog', () => {
  const catalog = PlatformCatalog.bundled();

  it.each([
    ['x.com', 'X (Twitter)'],
    ['twitter.com', 'X (Twitter)'],
    ['mail.google.com', 'Google account'],
    ['gmail.com', 'Google account'],
    ['outlook.office365.com', 'Microsoft account / Microsoft 365'],
  ])('finds %s as %s', (domain, name) => {
    expect(catalog.find(domain)?.name).toBe(name);
  });

  it('treats an unknown platform as unknown, which the mfa check reads as supporting MFA', () => {
    expect(catalog.find('newswire-portal.example')).toBeUndefined();
    expect(catalog.mfaSupport('newswire-portal.example')).toBe('unknown');
  });

  it('says unsupported only for a platform listed with no methods', () => {
    const custom = new PlatformCatalog([{ domain: 'old.example', name: 'Old', aliases: [], mfa: [] }]);

    expect(custom.mfaSupport('www.old.example')).toBe('unsupported');
    expect(custom.find('example')).toBeUndefined();
  });

  it('bundles the major social, email and publishing platforms, each with known methods and a source', () => {
    const domains = bundled.platforms.flatMap((platform) => [platform.domain, ...platform.aliases]);

    expect(new Set(domains).size).toBe(domains.length);
    for (const domain of ['x.com', 'facebook.com', 'instagram.com', 'linkedin.com', 'gmail.com', 'outlook.com']) {
      expect(domains).toContain(domain);
    }
    for (const platform of bundled.platforms) {
      expect(platform.mfa.every((method) => (MFA_METHODS as readonly string[]).includes(method))).toBe(true);
      expect(platform.source).toMatch(/^https:\/\//);
      // Passkeys are listed only with the vendor's page for them.
      if (platform.mfa.includes('passkey')) expect(platform.passkeySource).toMatch(/^https:\/\//);
    }
    expect(
      bundled.platforms.filter((platform) => platform.mfa.includes('passkey')).map((platform) => platform.domain),
    ).toEqual([
      'x.com',
      'facebook.com',
      'linkedin.com',
      'tiktok.com',
      'youtube.com',
      'google.com',
      'outlook.com',
      'yahoo.com',
      'icloud.com',
      'snapchat.com',
      'whatsapp.com',
      'github.com',
      'aws.amazon.com',
    ]);
  });

  // The platforms whose takeover speaks for an organisation in public: their owners must be sent straight to the fix.
  it.each([
    'x.com',
    'facebook.com',
    'instagram.com',
    'linkedin.com',
    'tiktok.com',
    'youtube.com',
    'gmail.com',
    'office365.com',
  ])('links %s to an https change-password page and second-factor page, each with its source', (domain) => {
    for (const page of ['change-password', 'second-factor'] as const) {
      const link = catalog.linkOf(domain, page);
      expect(link?.url).toMatch(/^https:\/\/[^/\s]+/);
      expect(link?.source).toMatch(/\S/);
    }
    expect(catalog.linkOf(domain, 'change-password')?.source).toContain('password-manager-resources');
  });

  it("takes a platform's own links first, and refuses one that is not https", () => {
    const custom = PlatformCatalog.bundled([
      {
        domain: 'x.com',
        name: 'X',
        aliases: [],
        mfa: ['totp'],
        source: 'https://help.x.com/2fa',
        links: { changePassword: 'https://x.com/own/password', secondFactor: 'http://x.com/own/2fa' },
      },
    ]);

    expect(custom.linkOf('x.com', 'change-password')).toEqual({
      url: 'https://x.com/own/password',
      source: "the platform catalog's entry for x.com",
    });
    expect(custom.linkOf('x.com', 'second-factor')).toBeUndefined();
    expect(custom.linkOf('newswire-portal.example', 'change-password')).toBeUndefined();
  });
});
