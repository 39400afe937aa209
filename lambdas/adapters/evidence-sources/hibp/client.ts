import { HIBP_NAME, HibpBreachedAccountClient } from '../../hibp-breached-account-client';
import type { EvidenceSourceFactory } from '../source-module';
import { defaultLookupsPerRun, type HibpSettings } from './source';

/**
 * The breached-account client, with its key read from its secret on the first lookup and again after its maximum age
 * (a rotated key gets a new client); the key is never logged. Its budget: the lookups a run may make.
 */
export const hibpClient: EvidenceSourceFactory<'identity', HibpSettings> = (settings, wiring) => {
  const connect = wiring.secret(
    settings.apiKeySecretName,
    (text) =>
      new HibpBreachedAccountClient({
        apiKey: text.trim(),
        requestsPerMinute: settings.requestsPerMinute,
        ...(settings.apiUrl !== undefined && { baseUrl: settings.apiUrl }),
      }),
  );
  return {
    source: { name: HIBP_NAME, breachesFor: async (identity) => (await connect()).breachesFor(identity) },
    budget: settings.lookupsPerRun ?? defaultLookupsPerRun(settings.requestsPerMinute),
  };
};
