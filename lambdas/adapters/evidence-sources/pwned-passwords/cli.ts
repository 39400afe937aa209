import { stat } from 'node:fs/promises';
import type { BreachRangeSource } from '../../../core/evidence-sources';
import type { EvidenceSourceCli } from '../../cli-part';
import {
  BreachSourceConfigError,
  PUBLIC_PWNED_PASSWORDS_URL,
  PwnedPasswordsClient,
} from '../../pwned-passwords-client';
import { PwnedPasswordsHashFile } from '../../pwned-passwords-hash-file';
import { PwnedPasswordsRangeDirectory } from '../../pwned-passwords-range-directory';

/**
 * `--pwned-passwords`, once or more: each a range API URL, a directory of range files, or one file of FULLSHA1:COUNT
 * lines (default: the public API). Two or more are asked together (a CombinedBreachSource).
 */
export const pwnedPasswordsCli: EvidenceSourceCli = {
  options: [
    {
      flags: '--pwned-passwords <url|file|dir>',
      description: `breach corpus: a Pwned Passwords range API URL, a FILE of FULLSHA1:COUNT lines, or a DIRECTORY of XXXXX.txt range files; give it twice to ask two (breached when either holds it, failed when either fails) (default: "${PUBLIC_PWNED_PASSWORDS_URL}")`,
      parse: (source, previous) => [...((previous as string[] | undefined) ?? []), source],
    },
    { flags: '--allow-insecure-breach-url', description: 'allow a plain http:// breach URL that is not on loopback' },
  ],
  inputFiles: (options) => sourcesOf(options).map((path) => ({ option: '--pwned-passwords', path })),
  open: async (options) => ({
    breachSources: await Promise.all(
      (sourcesOf(options).length > 0 ? sourcesOf(options) : [PUBLIC_PWNED_PASSWORDS_URL]).map((source) =>
        openBreachSource(source, options.allowInsecureBreachUrl === true),
      ),
    ),
  }),
};

function sourcesOf(options: Readonly<Record<string, unknown>>): readonly string[] {
  return (options.pwnedPasswords as readonly string[] | undefined) ?? [];
}

async function openBreachSource(source: string, allowInsecureHttp: boolean): Promise<BreachRangeSource> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return new PwnedPasswordsClient({ baseUrl: source, allowInsecureHttp });
  const kind = await stat(source).then(
    (stats) => (stats.isDirectory() ? 'directory' : 'file'),
    () => undefined,
  );
  if (kind === undefined) {
    throw new BreachSourceConfigError(
      `--pwned-passwords ${source}: no such file or directory (give a URL, a FILE or a DIRECTORY)`,
    );
  }
  return kind === 'directory' ? new PwnedPasswordsRangeDirectory(source) : PwnedPasswordsHashFile.load(source);
}
