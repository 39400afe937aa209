/**
 * `npm run docs:screenshot`: the bundled example's HTML report, as headless Chromium shows it, saved as
 * docs/html-report.png for the README (the top of the page: headline, actions, owners and charts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/support/headless-chromium';

const ROOT = join(__dirname, '..');

async function main(): Promise<void> {
  const html = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'bin/credential-hygiene.ts'),
      'scan',
      '--inventory',
      'examples/inventory.json',
      '--pwned-passwords',
      'examples/pwned-passwords.txt',
      '--now',
      '2026-11-24',
      '--format',
      'html',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const dir = mkdtempSync(join(tmpdir(), 'credential-hygiene-screenshot-'));
  const browser = await launchChromium();
  try {
    const path = join(dir, 'report.html');
    writeFileSync(path, html);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1180 } });
    await page.goto(`file://${path}`);
    await page.screenshot({
      path: join(ROOT, 'docs/html-report.png'),
      clip: { x: 0, y: 0, width: 1280, height: 1180 },
    });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
