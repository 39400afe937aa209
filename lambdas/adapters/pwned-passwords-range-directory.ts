import { join } from 'node:path';
import { BreachLookupError, type BreachRangeSource } from '../core/evidence-sources';
import { InputFileError, readInputBytes } from './json-file';
import { assertRangePrefix, countsInRange } from './pwned-passwords-range-format';

/** A range file holds about 1,000 lines of 40 bytes; a mirror's file many times that is not a range file. */
const MAX_RANGE_FILE_BYTES = 4 * 1024 * 1024;

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
      body = await readInputBytes(join(this.directory, `${prefix}.txt`), 'range file', MAX_RANGE_FILE_BYTES);
    } catch (error) {
      const code = error instanceof InputFileError ? error.code : undefined;
      throw new BreachLookupError(
        code === 'ENOENT'
          ? "the local range mirror has no file for this password's prefix (an incomplete download?)"
          : `the local range mirror could not be read (${code ?? 'unknown error'})`,
      );
    }
    return countsInRange(body, suffixes);
  }
}
