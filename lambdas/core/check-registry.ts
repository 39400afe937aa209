import { type DerivedKinds, type FixStep, type KindDeclaration, severitiesOf, type TakeoverLinks } from './check';
import type { CheckSettings } from './check-settings';
import { CHECKS } from './checks';
import {
  CHECK_ERROR_FIX,
  CHECK_ERROR_SEVERITY,
  ENGINE_CHECKS_OPENING_LINKS,
  INVALID_SECRET_FIXES,
  INVALID_SECRET_KINDS,
  UNREADABLE_MEMBER_FIX,
  UNREADABLE_MEMBER_KIND,
  UNREADABLE_MEMBER_SEVERITY,
} from './engine-kinds';
import { type CheckId, type Finding, kindOf } from './finding';
import { SEVERITIES, type Severity } from './severity';

/** What the engine itself reports: an entry it cannot read, and a check that could not run (its kind: the check). */
const ENGINE_KINDS = {
  'invalid-secret': INVALID_SECRET_KINDS,
  'check-error': {
    ...Object.fromEntries(CHECKS.map((check) => [check.id, CHECK_ERROR_SEVERITY])),
    [UNREADABLE_MEMBER_KIND]: UNREADABLE_MEMBER_SEVERITY,
  },
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

/** How each kind of finding is fixed (`check:kind`), as the checks and the engine declare it. */
const FIX_STEPS: ReadonlyMap<string, FixStep> = new Map([
  ...CHECKS.flatMap((check) =>
    Object.entries(check.fixes).map(([kind, step]) => [`${check.id}:${kind}`, step] as const),
  ),
  ...Object.entries(INVALID_SECRET_FIXES).map(([kind, step]) => [`invalid-secret:${kind}`, step] as const),
]);

/** How a finding is fixed: the step its check declares for its kind (an action's title is made of these). */
export function fixStepOf(found: Pick<Finding, 'check' | 'id'>): FixStep {
  if (found.check === 'check-error')
    return kindOf(found) === UNREADABLE_MEMBER_KIND ? UNREADABLE_MEMBER_FIX : CHECK_ERROR_FIX;
  return FIX_STEPS.get(`${found.check}:${kindOf(found)}`) ?? { does: 'fix it' };
}

/** The kinds whose findings come from another login's problem (`check:kind`), with how each finds that login. */
const DERIVED: ReadonlyMap<string, DerivedKinds> = new Map(
  CHECKS.flatMap((check) =>
    check.derived
      ? check.derived.kinds.map((kind) => [`${check.id}:${kind}`, check.derived as DerivedKinds] as const)
      : [],
  ),
);

/** The checks with derived kinds: most findings are settled by their check alone, with no key built. */
const DERIVING_CHECKS: ReadonlySet<string> = new Set(CHECKS.flatMap((check) => (check.derived ? [check.id] : [])));

/** How to find the login a finding exists because of, when its kind is one that does. */
export function derivationOf(found: Pick<Finding, 'check' | 'id'>): DerivedKinds | undefined {
  if (!DERIVING_CHECKS.has(found.check)) return undefined;
  return DERIVED.get(`${found.check}:${kindOf(found)}`);
}
