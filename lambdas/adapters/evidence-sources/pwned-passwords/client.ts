import { PwnedPasswordsClient } from '../../pwned-passwords-client';
import type { EvidenceSourceFactory } from '../source-module';
import type { PwnedPasswordsSettings } from './source';

/** The range API client, for the public API or a mirror. */
export const pwnedPasswordsClient: EvidenceSourceFactory<'breach', PwnedPasswordsSettings> = (baseUrl) =>
  new PwnedPasswordsClient({ baseUrl });
