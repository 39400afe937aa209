import { errorName } from '../../core/error-name';
import { MfaLookupError } from '../../core/evidence-sources';
import type { CredentialsRef, MfaProviderWiring } from './provider-module';

/**
 * A provider's credentials, read when it needs them (its first lookup, a new token) and parsed by `parse`. A read that
 * fails is the provider's lookups' failure (each a check-error), never the scan's, and names where it looked, never
 * what it found.
 */
export function credentialsLoader<T>(
  wiring: MfaProviderWiring,
  ref: CredentialsRef,
  what: string,
  parse: (text: string) => T,
): () => Promise<T> {
  const where =
    ref.credentialsSecret !== undefined ? `secret ${ref.credentialsSecret}` : `file ${ref.credentialsFile ?? '?'}`;
  return async () => {
    let text: string;
    try {
      text = await wiring.readCredentials(ref);
    } catch (error) {
      const code = (error as { code?: unknown } | undefined)?.code;
      const why = typeof code === 'string' ? code : errorName(error);
      throw new MfaLookupError(`${what} could not be read from ${where} (${why})`);
    }
    return parse(text);
  };
}
