import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';

/** A file that cannot be used as input. The message names the file and the problem, never the file's content. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
};

export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new InputFileError(`cannot read ${what} ${path}: ${READ_ERRORS[code] ?? code}`, { cause: error });
  }
}

/**
 * Reads a JSON file (or YAML, by its .yaml/.yml extension). Parse errors give a line and column only: the parsers'
 * own messages quote the text around the error, which may be a password.
 */
export async function readStructuredFile(path: string, what: string): Promise<unknown> {
  const text = await readTextFile(path, what);
  if (/\.ya?ml$/i.test(path)) {
    try {
      return parseYaml(text, { maxAliasCount: 100 });
    } catch (error) {
      const at =
        error instanceof YAMLParseError && error.linePos
          ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})`
          : '';
      throw new InputFileError(`${what} ${path} is not valid YAML${at}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /at position (\d+)/.exec(error instanceof Error ? error.message : '');
    const at = position
      ? ` (${lineAndColumn(text, Number(position[1]))})`
      : text.trim() === ''
        ? ' (the file is empty)'
        : '';
    throw new InputFileError(`${what} ${path} is not valid JSON${at}`);
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
