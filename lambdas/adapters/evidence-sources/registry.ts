import * as z from '../../core/zod';
import { parseKeyedSettings, withoutAbsent } from '../keyed-settings';
import { hibp } from './hibp/source';
import { pwnedPasswords } from './pwned-passwords/source';
import type { AnyEvidenceSourceModule, EvidenceSourceKind } from './source-module';
import { zxcvbn } from './zxcvbn/source';

/** The evidence sources this build can ask: one line each (and their clients, one line each in clients.ts). */
export const EVIDENCE_SOURCES: readonly AnyEvidenceSourceModule[] = [pwnedPasswords, hibp, zxcvbn];

/** Each source's settings under its key: the fields they add to `cdk.json` and to a function's bundled settings. */
export const evidenceSourceSettingsShape = Object.fromEntries(
  configurable().map((source) => [source.settingsKey, z.optional(source.settingsSchema)]),
);

/** Each configured source's settings, by its settings key, validated by its own schema. */
export type EvidenceSourceSettings = Readonly<Record<string, unknown>>;

const settingsSchema = z.strictObject(evidenceSourceSettingsShape, {
  error: `must be an object with ${configurable()
    .map((source) => source.settingsKey)
    .join(', ')}`,
});

/** Settings from JSON (a function's bundled settings), or the problems with them, each naming its key. */
export function parseEvidenceSourceSettings(
  raw: unknown,
  prefix: string,
): { ok: true; settings: EvidenceSourceSettings } | { ok: false; problems: string[] } {
  return parseKeyedSettings(settingsSchema, raw, prefix);
}

/** The settings of the sources `config` (cdk.json's, or a part of it) configures, by settings key. */
export function evidenceSourceSettingsOf(config: Readonly<Record<string, unknown>>): EvidenceSourceSettings {
  return withoutAbsent(
    Object.fromEntries(configurable().map((source) => [source.settingsKey, config[source.settingsKey]])),
  );
}

/** The sources of the given kinds that `settings` configure (or that are on by default), each with its settings. */
export function configuredSources(
  settings: EvidenceSourceSettings,
  kinds: readonly EvidenceSourceKind[],
): { readonly source: AnyEvidenceSourceModule; readonly settings: unknown }[] {
  return EVIDENCE_SOURCES.filter((source) => kinds.includes(source.kind)).flatMap((source) => {
    const own = (source.settingsKey === undefined ? undefined : settings[source.settingsKey]) ?? source.defaultSettings;
    return own === undefined ? [] : [{ source, settings: own }];
  });
}

/** Only the sources of `kinds` configured explicitly (not by default): what a function's bundled settings carry. */
export function settingsForKinds(
  settings: EvidenceSourceSettings,
  kinds: readonly EvidenceSourceKind[],
): EvidenceSourceSettings {
  return Object.fromEntries(
    configurable()
      .filter((source) => kinds.includes(source.kind) && settings[source.settingsKey] !== undefined)
      .map((source) => [source.settingsKey, settings[source.settingsKey]]),
  );
}

/** The Secrets Manager secrets the configured sources of `kinds` read: what a function's role is granted. */
export function evidenceCredentialSecretsOf(
  settings: EvidenceSourceSettings,
  kinds: readonly EvidenceSourceKind[],
): string[] {
  return configuredSources(settings, kinds).flatMap(({ source, settings: own }) => {
    const secret = source.credentialsSecretOf(own);
    return secret === undefined ? [] : [secret];
  });
}

/** The sources that have settings (a key in `cdk.json`). */
function configurable(): (AnyEvidenceSourceModule & { readonly settingsKey: string })[] {
  return EVIDENCE_SOURCES.filter(
    (source): source is AnyEvidenceSourceModule & { readonly settingsKey: string } => source.settingsKey !== undefined,
  );
}
