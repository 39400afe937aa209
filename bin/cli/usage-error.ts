import { SafeToShowError } from '../../lambdas/core/safe-to-show-error';
/** A problem with how the CLI was called or with its input files: exit 2 with this one-line message. */
export class UsageError extends SafeToShowError {
  override readonly name = 'UsageError';
}

export const EXIT = { ok: 0, findingsAtThreshold: 1, usage: 2, internal: 3 } as const;
