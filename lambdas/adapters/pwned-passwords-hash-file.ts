import type { BreachRangeSource } from '../core/evidence-sources';
import { InputFileError, readTextFile } from './json-file';
import { assertRangePrefix } from './pwned-passwords-range-format';

const HASH_LINE = /^([0-9A-Fa-f]{40}):(\d{1,12})$/;

/**
 * A breach corpus held in one small file of `FULLSHA1:COUNT` lines (blank lines and `#` comments allowed), loaded
 * into memory once. For the full corpus use a range directory instead.
 */
export class PwnedPasswordsHashFile implements BreachRangeSource {
  private constructor(private readonly byPrefix: ReadonlyMap<string, ReadonlyMap<string, number>>) {}

  /** Throws an InputFileError naming the file and line of the first malformed line. */
  static async load(path: string): Promise<PwnedPasswordsHashFile> {
    const text = await readTextFile(path, 'breach corpus');
    const byPrefix = new Map<string, Map<string, number>>();
    for (const [index, raw] of text.split('\n').entries()) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const match = HASH_LINE.exec(line);
      if (!match) {
        throw new InputFileError(
          `breach corpus ${path} line ${index + 1}: expected 40 hex digits, a colon and a count`,
        );
      }
      const hash = (match[1] as string).toUpperCase();
      const bySuffix = byPrefix.get(hash.slice(0, 5)) ?? new Map<string, number>();
      bySuffix.set(hash.slice(5), Number(match[2]));
      byPrefix.set(hash.slice(0, 5), bySuffix);
    }
    if (byPrefix.size === 0) throw new InputFileError(`breach corpus ${path} holds no hashes`);
    return new PwnedPasswordsHashFile(byPrefix);
  }

  async countsFor(prefix: string, suffixes: ReadonlySet<string>): Promise<ReadonlyMap<string, number>> {
    assertRangePrefix(prefix);
    const range = this.byPrefix.get(prefix);
    const counts = new Map<string, number>();
    for (const suffix of suffixes) {
      const count = range?.get(suffix);
      if (count !== undefined && count > 0) counts.set(suffix, count);
    }
    return counts;
  }
}
