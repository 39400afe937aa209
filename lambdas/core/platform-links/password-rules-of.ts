import type { PlatformCatalog } from '../platform-catalog';
import vendored from './password-rules.json';

/** Where the rules come from (vendored with its licence, see LICENSE.md beside this file). */
export const PASSWORD_RULES_SOURCE = `Apple's password-manager-resources (MIT), ${vendored.$source}`;
const RULES: Readonly<Record<string, string>> = vendored.rules;

/**
 * A platform's password rules, where Apple's data has them for its domain or an alias (`twitter.com`'s for `x.com`);
 * undefined otherwise. Loaded only where a password is generated, never by the scanning functions.
 */
export function passwordRulesOf(domain: string, catalog: PlatformCatalog): string | undefined {
  const platform = catalog.find(domain);
  for (const known of platform ? [platform.domain, ...platform.aliases] : [domain.toLowerCase()]) {
    if (Object.hasOwn(RULES, known)) return RULES[known];
  }
  return undefined;
}
