import { CombinedBreachSource } from '../../core/evidence/combined-breach-source';
import type { BreachRangeSource } from '../../core/evidence-sources';
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
  const made = configuredSources(settings, kinds).map(({ source, settings: own }) => ({
    kind: source.kind,
    value: (EVIDENCE_SOURCE_CLIENTS[source.id] as AnyEvidenceSourceFactory)(own, wiring),
  }));
  const breach = made.flatMap((each) => (each.kind === 'breach' ? [each.value as BreachRangeSource] : []));
  const [identity] = made.flatMap((each) =>
    each.kind === 'identity' ? [each.value as EvidenceSourceKinds['identity']] : [],
  );
  const [strengthEstimator] = made.flatMap((each) =>
    each.kind === 'strength' ? [each.value as EvidenceSourceKinds['strength']] : [],
  );
  return {
    ...(strengthEstimator !== undefined && { strengthEstimator }),
    ...(breach.length > 0 && { breachSource: breach.length === 1 ? breach[0] : new CombinedBreachSource(breach) }),
    ...(identity !== undefined && { identity }),
  };
}
