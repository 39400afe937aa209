import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BreachLookupError, type BreachRangeSource } from '../core/evidence-sources';
import { assertRangePrefix, countsInRange } from './pwned-passwords-range-format';

/**
 * A local mirror of the range API: a directory of `XXXXX.txt` files of `SUFFIX:COUNT` lines, as written by the
 * official PwnedPasswordsDownloader. A missing or malformed file is a failed lookup, never "not found".
 */
export class PwnedPasswordsRangeDirectory implements BreachRangeSource {
  constructor(private readonly directory: string) {}

  async countsFor(prefix: string, suffixes: ReadonlySet<string>): Promise<ReadonlyMap<string, number>> {
    assertRangePrefix(prefix);
    let body: Buffer;
    try {
      body = await readFile(join(this.directory, `${prefix}.txt`));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new BreachLookupError(
        code === 'ENOENT'
          ? "the local range mirror has no file for this password's prefix (an incomplete download?)"
          : `the local range mirror could not be read (${code})`,
      );
    }
    return countsInRange(body, suffixes);
  }
}
