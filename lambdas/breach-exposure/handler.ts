import { buildEvidenceSources } from '../adapters/evidence-sources/clients';
import { checkRunHandler } from '../shared/check-run-handler';
import { FUNCTION_SPECS } from '../shared/function-specs';

/**
 * Breached, weak and reused passwords (the one function that reads passwords for them) and, with an identity source
 * configured, logins whose email was breached since the password changed. Its breach corpora and identity source are
 * the configured evidence sources of its spec's kinds.
 */
export const handler = checkRunHandler({
  ...FUNCTION_SPECS.breachExposure,
  buildSources: buildEvidenceSources,
});
