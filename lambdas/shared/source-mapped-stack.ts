import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

// The functions run without `--enable-source-maps`: with it, Node reads and parses the bundle's source map while it
// loads the bundle, on every cold start (20-50 ms here, docs/performance.md), for stack traces a healthy run never
// prints. Instead a failed invocation maps its own error's stack, reading the map beside the bundle the first time.

/** A stack frame's location: `at name (file:line:column)` or `at file:line:column`. */
const FRAME = /^(\s*at (?:.*? \()?)(.+?):(\d+):(\d+)(\)?)$/;

let bundleMap: SourceMap | null | undefined;

/** The map esbuild wrote beside this bundle; none where the code runs unbundled (tests, the CLI). */
function mapOfThisBundle(): SourceMap | null {
  if (bundleMap === undefined) {
    try {
      bundleMap = new SourceMap(JSON.parse(readFileSync(`${__filename}.map`, 'utf8')));
    } catch {
      bundleMap = null;
    }
  }
  return bundleMap;
}

/** `../../../work/main/lambdas/core/scan.ts` as `lambdas/core/scan.ts`: the path in the repository (or the package). */
function repositoryPath(source: string): string {
  const at = Math.max(source.lastIndexOf('node_modules/'), source.lastIndexOf('lambdas/'));
  return at >= 0 ? source.slice(at) : source;
}

/**
 * Rewrites the frames of `error`'s stack that point into this bundle to the TypeScript source they came from, so
 * that the error the runtime logs names `lambdas/core/scan.ts:120` rather than `index.js:1:48213`. Returns `error`.
 */
export function withSourceMappedStack<T>(error: T): T {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return error;
  const map = mapOfThisBundle();
  if (map === null) return error;
  error.stack = error.stack
    .split('\n')
    .map((line) => {
      const frame = FRAME.exec(line);
      if (frame === null || frame[2] !== __filename) return line;
      const entry = map.findEntry(Number(frame[3]) - 1, Number(frame[4]) - 1);
      if (!('originalSource' in entry)) return line;
      const at = `${repositoryPath(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
      return `${frame[1]}${at}${frame[5]}`;
    })
    .join('\n');
  return error;
}
