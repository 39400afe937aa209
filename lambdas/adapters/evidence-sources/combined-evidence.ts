import { CombinedBreachSource } from '../../core/evidence/combined-breach-source';
import type { BreachRangeSource, PasswordStrengthEstimator, SecretReadSource } from '../../core/evidence-sources';

/** What one source gives a scan: a breach corpus, an identity source, or a strength estimator. */
export interface EvidenceParts<Identity> {
  readonly breachSources?: readonly BreachRangeSource[];
  readonly identity?: Identity;
  readonly strengthEstimator?: PasswordStrengthEstimator;
  /** Who read the secrets (the knowers check, opt-in). */
  readonly readSource?: SecretReadSource;
}

/** The sources' parts as one scan takes them, by kind: several breach corpora asked as one, the first of the rest. */
export function combinedEvidence<Identity>(parts: readonly EvidenceParts<Identity>[]): {
  readonly breachSource?: BreachRangeSource;
  readonly identity?: Identity;
  readonly strengthEstimator?: PasswordStrengthEstimator;
  readonly readSource?: SecretReadSource;
} {
  const breach = parts.flatMap((each) => each.breachSources ?? []);
  const [identity] = parts.flatMap((each) => (each.identity === undefined ? [] : [each.identity]));
  const [strengthEstimator] = parts.flatMap((each) => each.strengthEstimator ?? []);
  const [readSource] = parts.flatMap((each) => each.readSource ?? []);
  return {
    ...(readSource !== undefined && { readSource }),
    ...(strengthEstimator !== undefined && { strengthEstimator }),
    ...(breach.length > 0 && { breachSource: breach.length === 1 ? breach[0] : new CombinedBreachSource(breach) }),
    ...(identity !== undefined && { identity }),
  };
}
