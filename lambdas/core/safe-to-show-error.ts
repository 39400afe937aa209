/**
 * An error whose message this project wrote to be shown: it names fields, files, statuses and counts, never a value
 * that came from outside (a password, a parser's quotation of its input, a token). Logs, the CLI's stderr and a
 * function's failure show the message of these alone; any other error is shown by its name only, since a library's
 * message may quote its input.
 */
export class SafeToShowError extends Error {}

/** The message of an error that is safe to show; undefined for any other error. */
export function safeMessageOf(error: unknown): string | undefined {
  return error instanceof SafeToShowError ? error.message : undefined;
}
