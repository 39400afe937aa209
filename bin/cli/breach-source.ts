import { stat } from 'node:fs/promises';
import { PwnedPasswordsClient } from '../../lambdas/adapters/pwned-passwords-client';
import { PwnedPasswordsHashFile } from '../../lambdas/adapters/pwned-passwords-hash-file';
import { PwnedPasswordsRangeDirectory } from '../../lambdas/adapters/pwned-passwords-range-directory';
import { CombinedBreachSource } from '../../lambdas/core/evidence/combined-breach-source';
import type { BreachRangeSource } from '../../lambdas/core/evidence-sources';
import { UsageError } from './usage-error';

/**
 * `--pwned-passwords`, once or more: each a range API URL, a directory of range files, or one file of FULLSHA1:COUNT
 * lines. Two or more are asked together (see CombinedBreachSource).
 */
export async function openBreachSources(
  sources: readonly string[],
  allowInsecureHttp: boolean,
): Promise<BreachRangeSource> {
  const opened = await Promise.all(sources.map((source) => openBreachSource(source, allowInsecureHttp)));
  return opened.length === 1 ? (opened[0] as BreachRangeSource) : new CombinedBreachSource(opened);
}

async function openBreachSource(source: string, allowInsecureHttp: boolean): Promise<BreachRangeSource> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return new PwnedPasswordsClient({ baseUrl: source, allowInsecureHttp });
  const kind = await stat(source).then(
    (stats) => (stats.isDirectory() ? 'directory' : 'file'),
    () => undefined,
  );
  if (kind === undefined) {
    throw new UsageError(`--pwned-passwords ${source}: no such file or directory (give a URL, a FILE or a DIRECTORY)`);
  }
  return kind === 'directory' ? new PwnedPasswordsRangeDirectory(source) : PwnedPasswordsHashFile.load(source);
}
