import { isUtf8 } from 'node:buffer';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { SafeToShowError } from '../core/safe-to-show-error';

/** A file that cannot be used as input. The message names the file and the problem, never the file's content. */
export class InputFileError extends SafeToShowError {
  override readonly name = 'InputFileError';
  /** What went wrong, in a word: the system's error code (`ENOENT`), or `not a regular file`, `too large`, `not UTF-8`. */
  readonly code?: string;
  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const code = options.code ?? (options.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code !== undefined) this.code = code;
  }
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  ENOTDIR: 'a part of the path is not a directory',
};

/** The largest inventory, policy or settings file read: far beyond any estate the project is made for. */
export const MAX_INPUT_FILE_BYTES = 256 * 1024 * 1024;

/**
 * A file's bytes, read only if it is a regular file of at most `maxBytes`: a FIFO, a device (`/dev/zero`), a socket or
 * a directory is refused before a byte is read (it is opened without blocking, so a FIFO with no writer cannot hang the
 * run), and so is a file that is larger than the limit or grows past it while being read.
 */
export async function readInputBytes(path: string, what: string, maxBytes = MAX_INPUT_FILE_BYTES): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputFileError(`cannot read ${what} ${path}: ${describeReadError(error)}`, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new InputFileError(`cannot read ${what} ${path}: it is not a regular file (${kindOf(stats)})`, {
        code: 'not a regular file',
      });
    }
    if (stats.size > maxBytes) {
      throw new InputFileError(`cannot read ${what} ${path}: it is larger than ${formatBytes(maxBytes)}`, {
        code: 'too large',
      });
    }
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stats.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        throw new InputFileError(`cannot read ${what} ${path}: it is larger than ${formatBytes(maxBytes)}`, {
          code: 'too large',
        });
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) {
        throw new InputFileError(`cannot read ${what} ${path}: it is larger than ${formatBytes(maxBytes)}`, {
          code: 'too large',
        });
      }
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`cannot read ${what} ${path}: ${describeReadError(error)}`, { cause: error });
  } finally {
    await handle.close();
  }
}

/**
 * The file's text, decoded strictly as UTF-8: a byte-order mark, UTF-16 or any byte sequence that is not UTF-8 (a file
 * saved as Latin-1 or Windows-1252) is an error naming the byte offset. Decoding such a file leniently would turn the
 * bytes of a password into U+FFFD, and the wrong password would be checked (and pass).
 */
export function decodeUtf8Strictly(bytes: Buffer, path: string, what: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new InputFileError(`${what} ${path} starts with a byte-order mark: save it as UTF-8 without a BOM`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputFileError(`${what} ${path} is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8`);
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new InputFileError(
      `${what} ${path} holds a NUL byte at byte offset ${nul}: it is not UTF-8 text (UTF-16, or a binary file?)`,
    );
  }
  if (!isUtf8(bytes)) {
    throw new InputFileError(
      `${what} ${path} is not valid UTF-8 at byte offset ${firstInvalidUtf8Offset(bytes)} (saved as Latin-1 or Windows-1252?): save it as UTF-8`,
    );
  }
  return bytes.toString('utf8');
}

export async function readTextFile(path: string, what: string, maxBytes = MAX_INPUT_FILE_BYTES): Promise<string> {
  return decodeUtf8Strictly(await readInputBytes(path, what, maxBytes), path, what);
}

/** `line 3, column 7`: where an offset falls in a text. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] as number;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    // Well-formed sequences (Unicode Table 3-7): the second byte's range depends on the lead byte.
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf
        ? [2, 0x80, 0xbf]
        : lead === 0xe0
          ? [3, 0xa0, 0xbf]
          : lead === 0xed
            ? [3, 0x80, 0x9f]
            : lead >= 0xe1 && lead <= 0xef
              ? [3, 0x80, 0xbf]
              : lead === 0xf0
                ? [4, 0x90, 0xbf]
                : lead >= 0xf1 && lead <= 0xf3
                  ? [4, 0x80, 0xbf]
                  : lead === 0xf4
                    ? [4, 0x80, 0x8f]
                    : [0, 0, 0];
    if (length === 0) return index;
    const second = bytes[index + 1];
    if (second === undefined || second < low || second > high) return index;
    for (let next = 2; next < length; next++) {
      const byte = bytes[index + next];
      if (byte === undefined || byte < 0x80 || byte > 0xbf) return index;
    }
    index += length;
  }
  return -1;
}

function kindOf(stats: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isDirectory(): boolean;
}): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return READ_ERRORS[code] ?? code;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
