import type { BreachRangeSource, IdentityBreachSource, PasswordStrengthEstimator } from '../../core/evidence-sources';
import type * as z from '../../core/zod';

/** What each kind of evidence source gives the scan. */
export interface EvidenceSourceKinds {
  /** A password breach corpus, asked by k-anonymity range. */
  readonly breach: BreachRangeSource;
  /** Breaches an email address appears in, with how many lookups a run may make (the rest rotate to later runs). */
  readonly identity: { readonly source: IdentityBreachSource; readonly budget: number };
  /** A password-strength estimator. */
  readonly strength: PasswordStrengthEstimator;
}

export type EvidenceSourceKind = keyof EvidenceSourceKinds;

/** How the composition gives a source what it needs at run time: its secrets, read where it runs. */
export interface EvidenceSourceWiring {
  /**
   * What `use` makes of one secret's text, read when first asked for and again after the secret's maximum age (in a
   * function: from Secrets Manager); remade only when the text changed, so a rotated key gets a new client.
   */
  secret<T>(secretName: string, use: (text: string) => T): () => Promise<T>;
}

/**
 * One evidence source, declared once in its own file: its id and kind, its settings (the key and the schema: the
 * same in `cdk.json`, in a function's bundled settings, and for the CLI), and the Secrets Manager secret its credentials
 * are in. Its client is apart, in the folder's `client.ts`. The config, the environment, the stack and the handler
 * factory loop over the registries (registry.ts, clients.ts) and name no source.
 */
export interface EvidenceSourceModule<Kind extends EvidenceSourceKind = EvidenceSourceKind, Settings = unknown> {
  /** `pwned-passwords`, `hibp`: stable, for logs and tests. */
  readonly id: string;
  readonly kind: Kind;
  /** Its product's name, as readers know it. */
  readonly name: string;
  /**
   * Its key in `cdk.json` (and in a function's bundled settings); none for a source with nothing to configure, which
   * is on wherever its kind is asked.
   */
  readonly settingsKey?: string;
  readonly settingsSchema: z.ZodMiniType<Settings>;
  /** Settings that apply when none are given (the public Pwned Passwords API); absent: the source is off by default. */
  readonly defaultSettings?: Settings;
  /** The Secrets Manager secret its credentials are in, if it reads any: what the function's role is granted. */
  credentialsSecretOf(settings: Settings): string | undefined;
}

/**
 * A source's client, from its settings, in its folder's `client.ts`: listed in `clients.ts`, which only the functions
 * that ask sources load, so that the others bundle none of their libraries.
 */
export type EvidenceSourceFactory<Kind extends EvidenceSourceKind = EvidenceSourceKind, Settings = unknown> = (
  settings: Settings,
  wiring: EvidenceSourceWiring,
) => EvidenceSourceKinds[Kind];

/** A module, as the registry holds them (each with its own settings type). */
// biome-ignore lint/suspicious/noExplicitAny: each module's settings are its own; the registry validates them
export type AnyEvidenceSourceModule = EvidenceSourceModule<EvidenceSourceKind, any>;
