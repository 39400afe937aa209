import type { Policy } from './policy-model';
import type * as z from './zod';

/**
 * A check's own thresholds in the policy, declared beside the check: their key in the policy file, their schema
 * (every field optional: a policy gives some of them) and defaults, and what must hold once the defaults are filled in
 * (a threshold that must be above another). The policy gathers them from the checks (see check-registry).
 */
export interface CheckSettings<T extends object = object> {
  readonly key: string;
  readonly schema: z.ZodMiniType<Partial<T>>;
  readonly defaults: T;
  /** Each problem as `field: what is wrong`, naming the other fields by their key (`passwordAge.mediumAfterDays`). */
  problemsOf?(settings: T): readonly string[];
}

/** A check's settings as the policy holds them: what the policy file gives, over the defaults. */
export function settingsOf<T extends object>(policy: Policy, settings: CheckSettings<T>): T {
  return (policy.checkSettings[settings.key] as T | undefined) ?? settings.defaults;
}
