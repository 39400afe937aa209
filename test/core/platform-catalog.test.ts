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
});
