/**
 * Refreshes lambdas/core/platform-links/password-rules.json from a checkout of Apple's password-manager-resources
 * (MIT; https://github.com/apple/password-manager-resources), whose quirks/password-rules.json gives, for a domain,
 * the rules its passwords must follow (`minlength: 8; maxlength: 16; required: lower; ...`). Only the facts are kept:
 * each domain and its rules string. Run: `npx tsx scripts/refresh-password-rules.ts PATH_TO_CHECKOUT [COMMIT]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePasswordRules } from '../lambdas/core/password-rules';

const [checkout, commit = 'unknown'] = process.argv.slice(2);
if (checkout === undefined) {
  process.stderr.write('usage: refresh-password-rules.ts PATH_TO_PASSWORD_MANAGER_RESOURCES [COMMIT]\n');
  process.exit(2);
}
const source = JSON.parse(readFileSync(join(checkout, 'quirks', 'password-rules.json'), 'utf8')) as Record<
  string,
  { 'password-rules'?: unknown }
>;
const rules = Object.fromEntries(
  Object.entries(source)
    .flatMap(([domain, entry]) => {
      const text = entry['password-rules'];
      // A rule this project's parser cannot read is left out, so a generated password never ignores one.
      return typeof text === 'string' && parsePasswordRules(text) !== undefined
        ? [[domain.toLowerCase(), text] as const]
        : [];
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(
  join(__dirname, '..', 'lambdas', 'core', 'platform-links', 'password-rules.json'),
  `${JSON.stringify(
    {
      $source: 'https://github.com/apple/password-manager-resources/blob/main/quirks/password-rules.json',
      $commit: commit,
      $licence: 'MIT, Copyright 2020 - 2026 Apple Inc.: see LICENSE.md beside this file',
      rules,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`${Object.keys(rules).length} domains' password rules written\n`);
