/** A stream the CLI writes to: the process's own, or (for a test run in-process) one that collects what is written. */
export type CliStream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly destroyed?: boolean };

/** Where the CLI writes its report (stdout) and everything else: progress, notes, warnings, errors (stderr). */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
}
