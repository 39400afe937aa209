import type {
  BreachRangeSource,
  IdentityBreachSource,
  MfaStatusSource,
  PasswordStrengthEstimator,
} from '../evidence-sources';
import type { IdentityRecord } from '../lifecycle/lifecycle-state';
import { breachCollector } from './breach';
import type { EvidenceCollector } from './collector';
import { identityCollector } from './identity';
import { mfaProviderCollector } from './mfa-provider';
import { reuseCollector } from './reuse';
import { strengthCollector } from './strength';

/** The sources a scan may be given; each collector reports a check-error for its accounts where its source is absent. */
export interface EvidenceSources {
  readonly breachSource?: BreachRangeSource;
  readonly strengthEstimator?: PasswordStrengthEstimator;
  readonly identitySource?: IdentityBreachSource;
  readonly identityHistory?: ReadonlyMap<string, IdentityRecord>;
  readonly identityBudget?: number;
  readonly mfaProviders?: readonly MfaStatusSource[];
}

/**
 * The registry of evidence: one line per kind. Network-bound collectors first, so that their requests are on their
 * way before the CPU-bound scoring starts.
 */
export function defaultCollectors(sources: EvidenceSources): readonly EvidenceCollector[] {
  return [
    breachCollector(sources.breachSource),
    identityCollector(sources),
    mfaProviderCollector(sources.mfaProviders ?? []),
    strengthCollector(sources.strengthEstimator),
    reuseCollector(),
  ] as readonly EvidenceCollector[];
}
