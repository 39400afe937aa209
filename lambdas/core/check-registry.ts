import { CHECKS } from './checks';
import type { CheckId } from './finding';
import type { Severity } from './severity';

/** What the engine itself reports: an entry it cannot read, and a check that could not run (its kind: the check). */
const ENGINE_KINDS = {
  'invalid-secret': { invalid: 'high' },
  'check-error': Object.fromEntries(CHECKS.map((check) => [check.id, 'medium'])),
} satisfies Record<Extract<CheckId, 'invalid-secret' | 'check-error'>, Record<string, Severity>>;

/**
 * Every kind of finding with its default severity, by check: what each check declares beside its code, and what the
 * engine reports. `check:kind` identifies a problem across runs and is what a policy's severity override names.
 */
export const FINDING_KINDS: Readonly<Record<CheckId, Readonly<Record<string, Severity>>>> = {
  ...(Object.fromEntries(CHECKS.map((check) => [check.id, check.kinds])) as Record<
    Exclude<CheckId, keyof typeof ENGINE_KINDS>,
    Readonly<Record<string, Severity>>
  >),
  ...ENGINE_KINDS,
};

/** The keys `severityOverrides` accepts: a check id, or `check:kind`. */
export const SEVERITY_OVERRIDE_KEYS: ReadonlySet<string> = new Set(
  Object.entries(FINDING_KINDS).flatMap(([check, kinds]) => [
    check,
    ...Object.keys(kinds).map((kind) => `${check}:${kind}`),
  ]),
);
