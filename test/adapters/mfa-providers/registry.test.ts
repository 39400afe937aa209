import { MFA_PROVIDER_CLIENTS } from '../../../lambdas/adapters/mfa-providers/clients';
import { MFA_PROVIDERS } from '../../../lambdas/adapters/mfa-providers/descriptors';
import {
  credentialFileKeysOf,
  credentialSecretsOf,
  parseMfaProviderSettings,
  providerGrantsOf,
} from '../../../lambdas/adapters/mfa-providers/settings';

describe('The MFA provider registries', () => {
  it('give every provider a client, and no client without a provider; ids and settings keys are unique', () => {
    const ids = MFA_PROVIDERS.map((provider) => provider.id);

    expect(Object.keys(MFA_PROVIDER_CLIENTS).sort()).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(MFA_PROVIDERS.map((provider) => provider.settingsKey)).size).toBe(ids.length);
  });

  it("derive the settings, the secrets and files they read and the grants from each provider's own declaration", () => {
    const parsed = parseMfaProviderSettings(
      {
        googleWorkspace: { credentialsSecret: 'google-key', adminEmail: 'admin@northshire.example' },
        microsoftEntra: { credentialsFile: 'entra.json' },
        awsIam: {},
      },
      'mfaProviders',
    );
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));

    expect(credentialSecretsOf(parsed.settings)).toEqual(['google-key']);
    expect(credentialFileKeysOf(parsed.settings)).toEqual(['microsoftEntra']);
    expect(providerGrantsOf(parsed.settings)).toEqual([
      {
        actions: ['iam:ListMFADevices'],
        resource: { service: 'iam', region: '', resource: 'user', resourceName: '*' },
      },
    ]);
    expect(providerGrantsOf({ googleWorkspace: parsed.settings.googleWorkspace })).toEqual([]);
  });

  it('name an unknown provider key, and each provider checks its own settings', () => {
    const parsed = parseMfaProviderSettings(
      { okta: {}, googleWorkspace: { credentialsSecret: 'k', credentialsFile: 'f', adminEmail: 'x' } },
      'mfaProviders',
    );

    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems.join('\n');
    expect(problems).toContain('okta');
    expect(problems).toContain('mfaProviders.googleWorkspace.adminEmail');
  });
});
