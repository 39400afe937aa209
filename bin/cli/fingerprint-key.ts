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
    const problem = keyProblem(fromEnvironment);
    if (problem !== undefined) throw new UsageError(`${FINGERPRINT_KEY_VARIABLE} ${problem}`);
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
    const problem = keyProblem(key);
    if (problem !== undefined) throw new UsageError(`fingerprint key file ${keyPath} ${problem}`);
    return Buffer.from(key, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (!(error instanceof InputFileError)) throw error;
    if (error.code !== 'ENOENT') throw new UsageError(error.message);
  }
  return createKeyFile(keyPath);
}

/** Distinct characters a key needs at least: 32 of one character, or two, is no key. */
const MIN_DISTINCT_KEY_CHARACTERS = 8;

/** What is wrong with a fingerprint key, if anything; it never quotes the key. */
function keyProblem(key: string): string | undefined {
  if (key.length < 32) return 'must hold at least 32 characters';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(key)) return 'must hold no spaces, line breaks or control characters';
  if (new Set(key).size < MIN_DISTINCT_KEY_CHARACTERS) {
    return `must be random: it holds fewer than ${MIN_DISTINCT_KEY_CHARACTERS} different characters (make one with: openssl rand -hex 32)`;
  }
  return undefined;
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
