import { parseDocument } from 'yaml';
import { formatBytes, InputFileError, lineAndColumn, MAX_INPUT_FILE_BYTES, readTextFile } from './json-file';

/*
 * Structured files a person writes (an inventory, a policy, a settings file), in JSON or YAML: apart from json-file so
 * that the functions, which read none, bundle no YAML parser.
 */

/**
 * The largest YAML file read: the YAML parser holds about fifty times its input while it works (a 24 MB inventory took
 * 1.2 GB), so YAML is read only up to this; a larger estate is written as JSON, read up to `MAX_INPUT_FILE_BYTES`.
 */
export const MAX_YAML_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Reads a JSON file (or YAML, by its .yaml/.yml extension). Errors give a line and column and what kind of problem it
 * is, never the parsers' own messages or warnings: those quote the text around the problem, which may be a password.
 */
export async function readStructuredFile(path: string, what: string): Promise<unknown> {
  const yaml = /\.ya?ml$/i.test(path);
  const text = await readTextFile(path, what, yaml ? MAX_YAML_FILE_BYTES : MAX_INPUT_FILE_BYTES).catch((error) => {
    if (yaml && error instanceof InputFileError && error.code === 'too large') {
      throw new InputFileError(
        `cannot read ${what} ${path}: a YAML file may be at most ${formatBytes(MAX_YAML_FILE_BYTES)} (its parser needs about fifty times that); write a larger one as JSON, which may be up to ${formatBytes(MAX_INPUT_FILE_BYTES)}`,
        { code: 'too large' },
      );
    }
    throw error;
  });
  if (yaml) return parseYamlText(text, path, what);
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

/** Aliases a YAML document may use: enough for any real file, too few for an alias bomb. */
const MAX_YAML_ALIASES = 100;

/** YAML problems by the library's code, said in words that quote nothing. */
const YAML_PROBLEMS: Record<string, string> = {
  TAG_RESOLVE_FAILED:
    'a value starts with "!", which YAML reads as a tag, not as text (quote the value, e.g. a password: "!…")',
  BAD_ALIAS: 'an alias (*name) that names no anchor',
  DUPLICATE_KEY: 'a key appears twice in one mapping',
  MULTIPLE_DOCS: 'more than one document (---)',
  BAD_INDENT: 'bad indentation',
  TAB_AS_INDENT: 'a tab used for indentation',
  MISSING_CHAR: 'a missing quote or bracket',
  BLOCK_AS_IMPLICIT_KEY: 'a block used as a key',
  UNEXPECTED_TOKEN: 'an unexpected character',
};

/**
 * YAML is parsed with the core schema, silently (the library's warnings quote the source line), and a warning is an
 * error: an unquoted password starting with `!` is read as a tag, which would check the wrong value.
 */
function parseYamlText(text: string, path: string, what: string): unknown {
  const document = parseDocument(text, { logLevel: 'silent', schema: 'core', uniqueKeys: true });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    const at = problem.linePos ? ` (line ${problem.linePos[0].line}, column ${problem.linePos[0].col})` : '';
    const described = YAML_PROBLEMS[problem.code] ?? problem.code.toLowerCase().replaceAll('_', ' ');
    throw new InputFileError(`${what} ${path} is not valid YAML${at}: ${described}`);
  }
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    const aliases = error instanceof Error && /alias/i.test(error.message);
    throw new InputFileError(
      aliases
        ? `${what} ${path} is not usable YAML: its aliases expand too far (more than ${MAX_YAML_ALIASES} uses of one anchor's content, as in an alias bomb)`
        : `${what} ${path} is not usable YAML`,
    );
  }
}
