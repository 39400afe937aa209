import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Report } from '../../lambdas/core/report/report';
import { generatedEstate } from './generated-estate';
import { runCli } from './run-cli';

/** The first screen a manager opens the report on. */
const FIRST_SCREEN = { width: 1280, height: 900 };

/** The report of a generated estate (`teams` teams of twelve logins, each behind its team's mailbox) in two formats. */
export async function estateReports(dir: string, teams: number): Promise<{ html: string; report: Report }> {
  const inventory = join(dir, `estate-${teams}.json`);
  writeFileSync(inventory, JSON.stringify(generatedEstate(teams)));
  const args = ['scan', '--inventory', inventory, '--pwned-passwords', 'examples/pwned-passwords.txt'];
  const [html, json] = await Promise.all([
    runCli([...args, '--now', '2026-06-01', '--format', 'html']),
    runCli([...args, '--now', '2026-06-01', '--format', 'json']),
  ]);
  return { html: html.stdout, report: JSON.parse(json.stdout) as Report };
}

/** Opens the page from a file as a person would, scripts off, recording every request it makes. */
export async function openReport(
  browser: Browser,
  dir: string,
  html: string,
): Promise<{ page: Page; requests: string[]; close: () => Promise<void> }> {
  const path = join(dir, `report-${Math.random().toString(36).slice(2)}.html`);
  writeFileSync(path, html);
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: FIRST_SCREEN });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`file://${path}`, { timeout: 10_000 });
  return { page, requests: requests.filter((url) => url !== `file://${path}`), close: () => context.close() };
}

/** How tall the page is as laid out (the document's scroll height), in CSS pixels. */
export const pageHeight = (page: Page) => page.evaluate('document.documentElement.scrollHeight') as Promise<number>;

/** Whether an element lies wholly within the first screen. */
export async function onFirstScreen(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= FIRST_SCREEN.height;
}
