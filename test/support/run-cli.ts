import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const CLI_BUNDLE = join(__dirname, '../../.tmp/cli/credential-hygiene.js');
export const REPO_ROOT = join(__dirname, '../..');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bundled CLI (built by the global setup) as a child process, as a user would. */
export function runCli(args: readonly string[], cwd = REPO_ROOT, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_BUNDLE, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
