import type {
  BreachRangeSource,
  IdentityBreachSource,
  MfaStatusSource,
  PasswordStrengthEstimator,
  SecretReadSource,
} from '../evidence-sources';
import type { IdentityRecord } from '../lifecycle/lifecycle-state';
import type { MfaProviderDescriptor } from '../mfa-provider-descriptor';
import { breachCollector } from './breach';
import type { EvidenceCollector } from './collector';
import { identityCollector } from './identity';
import { knowersCollector } from './knowers';
import { mfaProviderCollector } from './mfa-provider';
import { recoveryCollector } from './recovery';
import { reuseCollector } from './reuse';
import { strengthCollector } from './strength';

/** The sources a scan may be given; each collector reports a check-error for its accounts where its source is absent. */
export interface EvidenceSources {
  /** Needed by checks that need `breach`; without it they report a check-error. */
  readonly breachSource?: BreachRangeSource;
  /** Needed by checks that need `strength`; without it they report a check-error. */
  readonly strengthEstimator?: PasswordStrengthEstimator;
  /** Needed by checks that need `identity` (breached identities); without it they report a check-error. */
  readonly identitySource?: IdentityBreachSource;
  /** What was found for each identity before, by its fingerprint: the rotation's memory. */
  readonly identityHistory?: ReadonlyMap<string, IdentityRecord>;
  /** Identities looked up per run at most; the rest keep what was found last time. Default: all. */
  readonly identityBudget?: number;
  /** The MFA providers configured, for checks that need `mfa-provider`. */
  readonly mfaProviders?: readonly MfaStatusSource[];
  /** Who read the monitored secrets, for checks that need `reads` (the knowers check, opt-in). */
  readonly readSource?: SecretReadSource;
  /** The providers this build knows (configured or not), as their adapters describe them. */
  readonly mfaProviderCatalog?: readonly MfaProviderDescriptor[];
}

/**
 * The registry of evidence: one line per kind. Network-bound collectors first, so that their requests are on their
 * way before the CPU-bound scoring starts.
 */
export function defaultCollectors(sources: EvidenceSources): readonly EvidenceCollector[] {
  return [
    breachCollector(sources.breachSource),
    identityCollector(sources),
    mfaProviderCollector(sources.mfaProviders ?? [], sources.mfaProviderCatalog ?? []),
    strengthCollector(sources.strengthEstimator),
    reuseCollector(),
    knowersCollector(sources.readSource),
    recoveryCollector(),
  ] as readonly EvidenceCollector[];
}
