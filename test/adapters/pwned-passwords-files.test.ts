import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputFileError } from '../../lambdas/adapters/json-file';
import { PwnedPasswordsHashFile } from '../../lambdas/adapters/pwned-passwords-hash-file';
import { PwnedPasswordsRangeDirectory } from '../../lambdas/adapters/pwned-passwords-range-directory';
import { BreachLookupError } from '../../lambdas/core/evidence-sources';
import { rangeBody, sha1Hex } from '../support/passwords';
import { useTempDir } from '../support/temp-dir';

const HASH = sha1Hex('Summer2024!');
const [PREFIX, SUFFIX] = [HASH.slice(0, 5), HASH.slice(5)];

describe('Class: PwnedPasswordsHashFile', () => {
  const dir = useTempDir();
  const write = (text: string) => {
    const path = join(dir(), 'corpus.txt');
    writeFileSync(path, text);
    return path;
  };

  it('finds a full hash by prefix and suffix, with comments, blank lines and CRLF allowed', async () => {
    const corpus = await PwnedPasswordsHashFile.load(
      write(`# comment\r\n\r\n${HASH.toLowerCase()}:42\r\n${'A'.repeat(40)}:1\r\n`),
    );

    expect(await corpus.countsFor(PREFIX, new Set([SUFFIX, '0'.repeat(35)]))).toEqual(new Map([[SUFFIX, 42]]));
    expect(await corpus.countsFor('00000', new Set([SUFFIX]))).toEqual(new Map());
  });

  it('refuses a malformed line, naming the file and line', async () => {
    const path = write(`${HASH}:42\nhunter2\n`);

    await expect(PwnedPasswordsHashFile.load(path)).rejects.toThrow(
      new InputFileError(`breach corpus ${path} line 2: expected 40 hex digits, a colon and a count`),
    );
  });

  it('refuses a file with no hashes, and a missing file', async () => {
    await expect(PwnedPasswordsHashFile.load(write('# nothing\n'))).rejects.toThrow(/holds no hashes/);
    await expect(PwnedPasswordsHashFile.load(join(dir(), 'missing.txt'))).rejects.toThrow(/no such file/);
  });
});

describe('Class: PwnedPasswordsRangeDirectory', () => {
  const dir = useTempDir();

  it('reads XXXXX.txt range files as the official downloader writes them', async () => {
    writeFileSync(join(dir(), `${PREFIX}.txt`), `${rangeBody([[SUFFIX, 7]], 10)}\r\n`);

    const counts = await new PwnedPasswordsRangeDirectory(dir()).countsFor(PREFIX, new Set([SUFFIX]));

    expect(counts).toEqual(new Map([[SUFFIX, 7]]));
  });

  it('fails, never "not found", when the range file is missing or malformed', async () => {
    mkdirSync(join(dir(), 'sub'));
    writeFileSync(join(dir(), 'sub', `${PREFIX}.txt`), '<html>oops</html>');

    await expect(new PwnedPasswordsRangeDirectory(dir()).countsFor(PREFIX, new Set([SUFFIX]))).rejects.toThrow(
      new BreachLookupError("the local range mirror has no file for this password's prefix (an incomplete download?)"),
    );
    await expect(
      new PwnedPasswordsRangeDirectory(join(dir(), 'sub')).countsFor(PREFIX, new Set([SUFFIX])),
    ).rejects.toThrow(/malformed range response/);
  });
});
