/**
 * How every AWS SDK client here is built: the SDK's own retries (5 attempts, with its backoff), and a deadline on each
 * attempt. Without `requestTimeout` the SDK waits on a connection that has stopped answering for as long as the socket
 * lives: the CLI would hang, and a function would spend its whole timeout.
 */
export const AWS_CLIENT_OPTIONS = {
  maxAttempts: 5,
  requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
} as const;
