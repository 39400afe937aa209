import { describeIssues } from '../core/validation-problems';
import type * as z from '../core/zod';

/** Settings by key (an MFA provider's, an evidence source's), each validated by its own module's schema. */
export type KeyedSettings = Readonly<Record<string, unknown>>;

/**
 * Settings by key from JSON (a settings file, a function's bundled settings), validated by `schema`: the keys given,
 * or the problems with them, each naming its key under `prefix` (`MFA_PROVIDERS.googleWorkspace.domain: …`).
 */
export function parseKeyedSettings(
  schema: z.ZodMiniType<Readonly<Record<string, unknown>>>,
  raw: unknown,
  prefix: string,
): { ok: true; settings: KeyedSettings } | { ok: false; problems: string[] } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, settings: withoutAbsent(parsed.data) };
  return {
    ok: false,
    problems: describeIssues(parsed.error.issues, '(root)').map((problem) =>
      problem.startsWith('(root)') ? `${prefix}${problem.slice('(root)'.length)}` : `${prefix}.${problem}`,
    ),
  };
}

/** The keys that hold settings: a key given as `undefined` is not configured. */
export function withoutAbsent(settings: Readonly<Record<string, unknown>>): KeyedSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
