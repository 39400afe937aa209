/**
 * Refreshes lambdas/core/platform-links/change-password-urls.json from a checkout of Apple's
 * password-manager-resources (MIT; https://github.com/apple/password-manager-resources), whose
 * quirks/change-password-URLs.json maps a domain to its change-password page. Only the facts are kept: each domain
 * and its https URL (an http one is dropped: a link to fix a password must not be one an attacker on the path can
 * rewrite). Run: `npx tsx scripts/refresh-change-password-urls.ts PATH_TO_CHECKOUT [COMMIT]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpsUrl } from '../lambdas/core/platform-links/https-url';

const [checkout, commit = 'unknown'] = process.argv.slice(2);
if (checkout === undefined) {
  process.stderr.write('usage: refresh-change-password-urls.ts PATH_TO_PASSWORD_MANAGER_RESOURCES [COMMIT]\n');
  process.exit(2);
}
const source = JSON.parse(readFileSync(join(checkout, 'quirks', 'change-password-URLs.json'), 'utf8')) as Record<
  string,
  unknown
>;
const urls = Object.fromEntries(
  Object.entries(source)
    .flatMap(([domain, url]) =>
      typeof url === 'string' && httpsUrl(url) ? [[domain.toLowerCase(), url] as const] : [],
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);
const target = join(__dirname, '..', 'lambdas', 'core', 'platform-links', 'change-password-urls.json');
writeFileSync(
  target,
  `${JSON.stringify(
    {
      $source: 'https://github.com/apple/password-manager-resources/blob/main/quirks/change-password-URLs.json',
      $commit: commit,
      $licence: 'MIT, Copyright 2020 - 2026 Apple Inc.: see LICENSE.md beside this file',
      urls,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`${Object.keys(urls).length} change-password URLs written to ${target}\n`);
