import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { runCli as runCliMain } from '../../bin/cli/main';

export const CLI_BUNDLE = join(__dirname, '../../.tmp/cli/credential-hygiene.js');
export const REPO_ROOT = join(__dirname, '../..');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI as a user would and says what it wrote and exited with. In this process (its entry point, given
 * streams that collect what it writes) where the process boundary is not what is tested; as a child process running
 * the bundle where it is: a run with an environment or a working directory of its own (`runCliProcess` for the rest:
 * a closed pipe, `/dev/stdout`).
 */
export function runCli(args: readonly string[], cwd = REPO_ROOT, env: Record<string, string> = {}): Promise<CliRun> {
  return resolve(cwd) === REPO_ROOT && Object.keys(env).length === 0
    ? runCliInProcess(args)
    : runCliProcess(args, cwd, env);
}

/** A stream that keeps what is written to it, as a pipe to the test would. */
class Collected extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function runCliInProcess(args: readonly string[]): Promise<CliRun> {
  const stdout = new Collected();
  const stderr = new Collected();
  const code = await runCliMain(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the bundled CLI (built by the global setup) as a child process. */
export function runCliProcess(
  args: readonly string[],
  cwd = REPO_ROOT,
  env: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI_BUNDLE, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
