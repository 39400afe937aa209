import { type KindDeclaration, severitiesOf, type TakeoverLinks } from './check';
import type { CheckSettings } from './check-settings';
import { CHECKS } from './checks';
import { CHECK_ERROR_SEVERITY, ENGINE_CHECKS_OPENING_LINKS, INVALID_SECRET_KINDS } from './engine-kinds';
import { type CheckId, type Finding, kindOf } from './finding';
import { SEVERITIES, type Severity } from './severity';

/** What the engine itself reports: an entry it cannot read, and a check that could not run (its kind: the check). */
const ENGINE_KINDS = {
  'invalid-secret': INVALID_SECRET_KINDS,
  'check-error': Object.fromEntries(CHECKS.map((check) => [check.id, CHECK_ERROR_SEVERITY])),
} satisfies Record<Extract<CheckId, 'invalid-secret' | 'check-error'>, Record<string, Severity>>;

/**
 * Every kind of finding with its severity (or rule), by check: what each check declares beside its code, and what the
 * engine reports. `check:kind` identifies a problem across runs and is what a policy's severity override names.
 */
export const FINDING_KINDS: Readonly<Record<CheckId, Readonly<Record<string, KindDeclaration>>>> = {
  ...(Object.fromEntries(CHECKS.map((check) => [check.id, check.kinds])) as Record<
    Exclude<CheckId, keyof typeof ENGINE_KINDS>,
    Readonly<Record<string, KindDeclaration>>
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

/**
 * The severities the findings an exception's `check` covers can have (each covered kind's, or the policy's override
 * of it), least severe first; undefined for an unknown check or kind.
 */
export function coveredSeverities(
  check: string,
  severityOverrides: Readonly<Record<string, Severity>>,
): readonly Severity[] | undefined {
  const [id = '', kind] = check.split(':', 2);
  const kinds = Object.hasOwn(FINDING_KINDS, id) ? FINDING_KINDS[id as CheckId] : undefined;
  if (kinds === undefined || (kind !== undefined && !Object.hasOwn(kinds, kind))) return undefined;
  const covered = kind === undefined ? Object.entries(kinds) : [[kind, kinds[kind] as KindDeclaration] as const];
  const severities = new Set(
    covered.flatMap(([each, declaration]) => {
      const override = severityOverrides[`${id}:${each}`] ?? severityOverrides[id];
      return override === undefined ? severitiesOf(declaration) : [override];
    }),
  );
  return SEVERITIES.filter((severity) => severities.has(severity)).reverse();
}

/** The `check:kind` keys whose findings open a takeover link, from the checks' `takeover` and the engine's own. */
const OPENING: ReadonlySet<string> = new Set([
  ...CHECKS.flatMap((check) =>
    check.takeover?.opensLink
      ? Object.keys(check.kinds)
          .filter((kind) => !check.takeover?.notOpening?.includes(kind))
          .map((kind) => `${check.id}:${kind}`)
      : [],
  ),
  ...ENGINE_CHECKS_OPENING_LINKS.flatMap((check) =>
    Object.keys(FINDING_KINDS[check]).map((kind) => `${check}:${kind}`),
  ),
]);

/** How findings bear on takeover paths, as the checks declare it: what the estate phase gives the recovery check. */
export const TAKEOVER_LINKS: TakeoverLinks = {
  opens: (found: Finding) => OPENING.has(`${found.check}:${kindOf(found)}`),
  judgingChecks: CHECKS.filter((check) => check.takeover?.judgesLink).map((check) => check.id),
};

/** Each check's own thresholds in the policy (its `settings`), in the registry's order: what the policy gathers. */
export const CHECK_SETTINGS: readonly CheckSettings[] = CHECKS.flatMap((check) =>
  check.settings ? [check.settings] : [],
);
