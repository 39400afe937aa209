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

async function main(): Promise<void> {
  endQuietlyWhenTheReaderGoes(process.stdout);
  endQuietlyWhenTheReaderGoes(process.stderr);
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}

void main();
