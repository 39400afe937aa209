import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { UsageError } from './usage-error';

export const FINGERPRINT_KEY_VARIABLE = 'CREDENTIAL_HYGIENE_FINGERPRINT_KEY';

/**
 * The key for remembered password fingerprints: from the environment, or else a key file beside the state file,
 * created once (mode 0600). Keep the key apart from the state where you can: with both, weak passwords could be
 * guessed offline from their fingerprints.
 */
export async function loadFingerprintKey(statePath: string): Promise<Uint8Array> {
  const fromEnvironment = process.env[FINGERPRINT_KEY_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    if (fromEnvironment.length < 32)
      throw new UsageError(`${FINGERPRINT_KEY_VARIABLE} must hold at least 32 characters`);
    return Buffer.from(fromEnvironment, 'utf8');
  }
  const keyPath = `${statePath}.key`;
  try {
    const key = (await readFile(keyPath, 'utf8')).trim();
    if (key.length < 32) throw new UsageError(`fingerprint key file ${keyPath} must hold at least 32 characters`);
    return Buffer.from(key, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UsageError(`cannot read fingerprint key file ${keyPath}: ${(error as NodeJS.ErrnoException).code}`);
    }
  }
  const key = randomBytes(32).toString('hex');
  try {
    await writeFile(keyPath, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new UsageError(`cannot create fingerprint key file ${keyPath}: ${(error as NodeJS.ErrnoException).code}`);
  }
  return Buffer.from(key, 'utf8');
}
