import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEvidenceSources } from '../../lambdas/adapters/evidence-sources/clients';
import {
  configuredSources,
  EVIDENCE_SOURCES,
  evidenceCredentialSecretsOf,
  parseEvidenceSourceSettings,
  settingsForKinds,
} from '../../lambdas/adapters/evidence-sources/registry';
import { PwnedPasswordsClient } from '../../lambdas/adapters/pwned-passwords-client';
import { readEnvironment } from '../../lambdas/shared/environment';
import { readConfig } from '../../lib/config';

const ROOT = join(__dirname, '../..');
const HIBP = { apiKeySecretName: 'credential-hygiene/hibp-api-key', requestsPerMinute: 60 };
const noSecrets = { secret: () => async () => Promise.reject(new Error('no secret in this test')) };

describe('Evidence sources: one declaration each, and a registry the rest loops over', () => {
  it.each([
    'lib/config.ts',
    'lib/credential-hygiene-stack.ts',
    'lambdas/shared/environment.ts',
    'lambdas/shared/check-run-handler.ts',
    'bin/cli/main.ts',
    'bin/cli/scan-command.ts',
  ])('%s names no evidence source', (file) => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const names = EVIDENCE_SOURCES.flatMap((each) => [
      each.id,
      each.name,
      ...(each.settingsKey ? [each.settingsKey] : []),
    ]);

    expect(names.filter((name) => source.toLowerCase().includes(name.toLowerCase()))).toEqual([]);
  });

  it('reads each source under its settings key, with the same schema in cdk.json and in a function', () => {
    const settings = { pwnedPasswordsUrl: 'https://pwned-mirror.example.org', hibp: HIBP };

    const config = readConfig(settings);
    const environment = readEnvironment({
      FINDINGS_TOPIC_ARN: 'arn:aws:sns:eu-west-2:111122223333:findings',
      EVIDENCE_SOURCES: JSON.stringify(config.evidenceSources),
    });

    expect(config.evidenceSources).toEqual(settings);
    expect(environment.evidenceSources).toEqual(settings);
    expect(parseEvidenceSourceSettings({ hibp: { ...HIBP, apiKey: 'x' } }, 'EVIDENCE_SOURCES')).toEqual({
      ok: false,
      problems: ['EVIDENCE_SOURCES.hibp.apiKey: is not a known field'],
    });
  });

  it('turns a source on by default only where it says so, and gives a function only the kinds it asks', () => {
    expect(configuredSources({}, ['breach', 'identity']).map(({ source, settings }) => [source.id, settings])).toEqual([
      ['pwned-passwords', 'https://api.pwnedpasswords.com'],
    ]);
    expect(settingsForKinds({ hibp: HIBP }, ['breach'])).toEqual({});
    expect(settingsForKinds({ hibp: HIBP }, ['breach', 'identity'])).toEqual({ hibp: HIBP });
    expect(evidenceCredentialSecretsOf({ hibp: HIBP }, ['identity'])).toEqual(['credential-hygiene/hibp-api-key']);
    expect(evidenceCredentialSecretsOf({ hibp: HIBP }, ['breach'])).toEqual([]);
  });

  it('builds each configured source by kind, through its own client factory', () => {
    const built = buildEvidenceSources({ hibp: HIBP }, ['breach', 'identity'], noSecrets);

    expect(built.breachSource).toBeInstanceOf(PwnedPasswordsClient);
    expect(built.identity?.source.name).toBe('Have I Been Pwned');
    // What the subscription's rate allows in 10 minutes, with a tenth to spare.
    expect(built.identity?.budget).toBe(545);
    expect(buildEvidenceSources({ hibp: HIBP }, ['breach'], noSecrets).identity).toBeUndefined();
  });
});
