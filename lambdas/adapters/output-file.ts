import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputFileError } from './json-file';

/**
 * Where a file the project writes really goes: a link resolved once to its target (`resolvedFrom` names the link, so
 * the caller can say so), a device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) written through as a stream rather
 * than replaced by a file, and a directory refused.
 */
export interface WriteTarget {
  readonly path: string;
  readonly kind: 'file' | 'stream';
  /** The link the path was given as, when it was one. */
  readonly resolvedFrom?: string;
  /** The existing file's identity (device and inode), to tell whether it is one of the run's inputs. */
  readonly identity?: string;
  /** The process's own standard output or error, named as a file: written to the stream the process has. */
  readonly standard?: 'stdout' | 'stderr';
}

/**
 * The names of the process's own standard streams. They are written through the streams the process holds: opened by
 * name they fail where the stream is a socket (as a parent process's pipe often is).
 */
const STANDARD_STREAMS: Readonly<Record<string, 'stdout' | 'stderr'>> = {
  '/dev/stdout': 'stdout',
  '/dev/fd/1': 'stdout',
  '/proc/self/fd/1': 'stdout',
  '/dev/stderr': 'stderr',
  '/dev/fd/2': 'stderr',
  '/proc/self/fd/2': 'stderr',
};

/** `what` names the file in messages: `--output`, `state file`. */
export async function writeTargetOf(path: string, what: string): Promise<WriteTarget> {
  const failed = (error: unknown, problem?: string) =>
    new InputFileError(`cannot write ${what} ${path}: ${problem ?? (error as NodeJS.ErrnoException).code}`, {
      cause: error,
    });
  const standard = STANDARD_STREAMS[path];
  if (standard !== undefined) return { path, kind: 'stream', standard };
  let link: boolean;
  try {
    link = (await lstat(path)).isSymbolicLink();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, kind: 'file' };
    throw failed(error);
  }
  let stats: Awaited<ReturnType<typeof stat>>;
  try {
    stats = await stat(path);
  } catch (error) {
    const dangling = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw failed(error, dangling ? 'it is a link to a file that does not exist' : undefined);
  }
  if (stats.isDirectory()) throw failed(undefined, 'it is a directory');
  const identity = `${stats.dev}:${stats.ino}`;
  // A device or a pipe, named directly or through a link (`/dev/stdout`), is written into as it is named.
  if (!stats.isFile()) return { path, kind: 'stream', identity };
  if (!link) return { path, kind: 'file', identity };
  try {
    return { path: await realpath(path), kind: 'file', resolvedFrom: path, identity };
  } catch (error) {
    throw failed(error);
  }
}

/** The identity (device and inode) of an existing file, following links; undefined when there is none. */
export async function fileIdentity(path: string): Promise<string | undefined> {
  return stat(path).then(
    (stats) => `${stats.dev}:${stats.ino}`,
    () => undefined,
  );
}

/**
 * Writes `text` to the target whole or not at all. A file: a temporary file beside it, with an unpredictable name,
 * created exclusively and never through a link (`O_EXCL | O_NOFOLLOW`: a file or link planted at that name fails the
 * write instead of receiving it), synced, then renamed over the target; an existing file keeps its mode. A device or a
 * pipe: written into, as a shell's `>` would, never replaced.
 */
export async function writeWhole(
  target: WriteTarget,
  text: string | readonly string[],
  what: string,
  mode = 0o666,
): Promise<void> {
  const chunks = coalesced(typeof text === 'string' ? [text] : text);
  if (target.standard !== undefined) {
    await writeChunks(process[target.standard], chunks);
    return;
  }
  if (target.kind === 'stream') {
    try {
      const handle = await open(target.path, constants.O_WRONLY | constants.O_NOCTTY);
      try {
        for (const chunk of chunks) await handle.write(chunk, null, 'utf8');
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw writeError(error, what, target.path);
    }
    return;
  }
  const temporary = join(dirname(target.path), `.${basename(target.path)}.${randomBytes(16).toString('hex')}.tmp`);
  try {
    const existingMode = await stat(target.path).then(
      (stats) => stats.mode & 0o7777,
      () => undefined,
    );
    const handle = await open(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      existingMode ?? mode,
    );
    try {
      for (const chunk of chunks) await handle.write(chunk, null, 'utf8');
      if (existingMode !== undefined) await chmod(temporary, existingMode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target.path);
  } catch (error) {
    // A full disk must not leave a partial temporary file beside the target.
    await rm(temporary, { force: true });
    throw writeError(error, what, target.path);
  }
}

function writeError(error: unknown, what: string, path: string): InputFileError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return new InputFileError(`cannot write ${what} ${path}: ${code}`, { cause: error });
}

/**
 * Writes the chunks to a stream one after another, waiting whenever it asks to (so a large report is never queued in
 * memory whole); a stream that closed (its reader went away) ends the writing, quietly.
 */
export async function writeChunks(stream: NodeJS.WritableStream & { destroyed?: boolean }, chunks: Iterable<string>) {
  for (const chunk of coalesced(chunks)) {
    if (stream.destroyed) return;
    if (!stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('close', done);
          stream.off('error', done);
          resolve();
        };
        stream.once('drain', done);
        stream.once('close', done);
        stream.once('error', done);
      });
    }
  }
}

/** Small chunks joined into writes of about a megabyte: a million findings are not a million system calls. */
function* coalesced(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield pending.join('');
      pending = [];
      length = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}
