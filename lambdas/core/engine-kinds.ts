import type { FixStep } from './check';
import type { Severity } from './severity';

/** The kind the engine reports an entry it cannot read as (`invalid-secret:invalid`), with its severity. */
export const INVALID_SECRET_KINDS = { invalid: 'high' } as const satisfies Record<string, Severity>;

/** A check that could not run (`check-error:<check id>`): one severity for every check. */
export const CHECK_ERROR_SEVERITY: Severity = 'medium';

/**
 * The kind of `check-error` for a member of the estate that could not be read at all (`<member>#check-error:member`):
 * none of its logins was checked. High: a whole account's logins go unwatched until it is fixed.
 */
export const UNREADABLE_MEMBER_KIND = 'member';
export const UNREADABLE_MEMBER_SEVERITY: Severity = 'high';

/**
 * The engine's own findings open a takeover link: a login that could not be read, or not checked, cannot be trusted
 * to hold the logins behind it.
 */
export const ENGINE_CHECKS_OPENING_LINKS = ['invalid-secret', 'check-error'] as const;

/** How the engine's own findings are fixed: an entry repaired; a check that could not run, made to run. */
export const INVALID_SECRET_FIXES = { invalid: { does: 'repair its entry' } } as const satisfies Record<
  keyof typeof INVALID_SECRET_KINDS,
  FixStep
>;
export const CHECK_ERROR_FIX: FixStep = { does: 'find out why a check could not run on it' };
export const UNREADABLE_MEMBER_FIX: FixStep = { does: 'let the monitor read its logins (see why it could not)' };
