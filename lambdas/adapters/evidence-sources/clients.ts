import type { BreachRangeSource } from '../../core/evidence-sources';
import { combinedEvidence, type EvidenceParts } from './combined-evidence';
import { hibpClient } from './hibp/client';
import { pwnedPasswordsClient } from './pwned-passwords/client';
import { configuredSources, type EvidenceSourceSettings } from './registry';
import type {
  EvidenceSourceFactory,
  EvidenceSourceKind,
  EvidenceSourceKinds,
  EvidenceSourceWiring,
} from './source-module';
import { zxcvbnEstimator } from './zxcvbn/client';

// biome-ignore lint/suspicious/noExplicitAny: each factory takes its own source's settings, validated by its schema
type AnyEvidenceSourceFactory = EvidenceSourceFactory<EvidenceSourceKind, any>;

/**
 * Each source's client factory, by the source's id: one line each. Apart from the declarations (registry.ts), so that
 * a function that asks no source (password-age) loads none of their libraries.
 */
const EVIDENCE_SOURCE_CLIENTS: Readonly<Record<string, AnyEvidenceSourceFactory>> = {
  'pwned-passwords': pwnedPasswordsClient,
  hibp: hibpClient,
  zxcvbn: zxcvbnEstimator,
};

/** The evidence the scan gets, by kind: each kind's sources made from their settings (several breach sources, one). */
export interface BuiltEvidenceSources {
  readonly breachSource?: BreachRangeSource;
  readonly identity?: EvidenceSourceKinds['identity'];
  readonly strengthEstimator?: EvidenceSourceKinds['strength'];
}

/** Makes the configured sources of `kinds`, each by its own client factory. */
export function buildEvidenceSources(
  settings: EvidenceSourceSettings,
  kinds: readonly EvidenceSourceKind[],
  wiring: EvidenceSourceWiring,
): BuiltEvidenceSources {
  return combinedEvidence(
    configuredSources(settings, kinds).map(
      ({ source, settings: own }): EvidenceParts<EvidenceSourceKinds['identity']> => {
        const value = (EVIDENCE_SOURCE_CLIENTS[source.id] as AnyEvidenceSourceFactory)(own, wiring);
        if (source.kind === 'breach') return { breachSources: [value as EvidenceSourceKinds['breach']] };
        if (source.kind === 'identity') return { identity: value as EvidenceSourceKinds['identity'] };
        return { strengthEstimator: value as EvidenceSourceKinds['strength'] };
      },
    ),
  );
}
