#!/usr/bin/env node
import { runCli } from './cli/main';

/**
 * A reader that stops early (`scan … | grep -q CRITICAL`, `| head`) closes the pipe: what was left to write is not
 * wanted, so the output ends quietly and the run's own exit code stands (an unhandled EPIPE would print a stack trace
 * and exit 1, which reads as "findings at the threshold").
 */
function endQuietlyWhenTheReaderGoes(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') return;
    throw error;
  });
}

/**
 * The AWS SDK's own notice, on Node 20, that its releases after January 2027 need Node 22: the versions this CLI runs
 * are pinned by its lockfile, so the notice is for whoever updates them, not for the person running a scan, and it
 * would stand on stderr before every report read from AWS. Left as it is where the variable is set.
 */
function withoutTheSdkNodeNotice(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

async function main(): Promise<void> {
  withoutTheSdkNodeNotice();
  endQuietlyWhenTheReaderGoes(process.stdout);
  endQuietlyWhenTheReaderGoes(process.stderr);
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}

void main();
