/**
 * How an unexpected error is named to people and logs: by its name (`TypeError`, `AccessDeniedException`), never its
 * message, which may quote the input it failed on (a password, a secret value).
 */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
