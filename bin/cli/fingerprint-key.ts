import { randomBytes, randomUUID } from 'node:crypto';
import { link, open, rm, stat } from 'node:fs/promises';
import { decodeUtf8Strictly, InputFileError, readInputBytes } from '../../lambdas/adapters/json-file';
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
    const key = decodeUtf8Strictly(
      await readInputBytes(keyPath, 'fingerprint key file', 4096),
      keyPath,
      'fingerprint key file',
    ).trim();
    // An empty key file beside no state is what a first run on a full disk left before key files were written whole.
    if (key === '' && !(await exists(statePath))) return replaceKeyFile(keyPath);
    if (key.length < 32) throw new UsageError(`fingerprint key file ${keyPath} must hold at least 32 characters`);
    return Buffer.from(key, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (!(error instanceof InputFileError)) throw error;
    if (error.code !== 'ENOENT') throw new UsageError(error.message);
  }
  return createKeyFile(keyPath);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
}

async function replaceKeyFile(keyPath: string): Promise<Uint8Array> {
  await rm(keyPath, { force: true });
  return createKeyFile(keyPath);
}

/**
 * Writes a new key to a temporary file and links it into place only once it is whole: a full disk leaves no empty key
 * file behind to fail every later run, and two first runs at once cannot end up with two keys (the second link fails,
 * and that run reads the first one's key).
 */
async function createKeyFile(keyPath: string): Promise<Uint8Array> {
  const key = randomBytes(32).toString('hex');
  const temporary = `${keyPath}.${randomUUID()}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${key}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temporary, keyPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return loadFingerprintKey(keyPath.slice(0, -'.key'.length));
    throw new UsageError(`cannot create fingerprint key file ${keyPath}: ${code ?? 'unknown error'}`);
  } finally {
    await rm(temporary, { force: true });
  }
  return Buffer.from(key, 'utf8');
}
