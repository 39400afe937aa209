import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { finding } from '../../lambdas/core/finding';
import { formatReport } from '../../lambdas/core/report/format-report';
import { buildReport, type Report } from '../../lambdas/core/report/report';
import { useChromium } from '../support/headless-chromium';
import { openReport } from '../support/report-page';
import { runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

/** The text as rendered, what a person sees (Playwright's innerText, not the DOM's textContent). */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what these tests are about
const seen = (locator: Locator) => locator.innerText();

const EXAMPLE = ['--inventory', 'examples/inventory.json', '--pwned-passwords', 'examples/pwned-passwords.txt'];

/**
 * The HTML report as a person sees it: opened from a file in headless Chromium with scripts off, asserting what is on
 * the page (not the markup), and that opening it fetched nothing.
 */
describe('CLI: scan --format html, in headless Chromium', () => {
  const dir = useTempDir();
  const browser = useChromium();
  /** Opens an HTML file as a person would, with JavaScript off, recording every request the page makes. */
  const open = (html: string) => openReport(browser(), dir(), html);

  const headline = (page: Page, tone: string) => seen(page.locator(`[data-headline="${tone}"] .value`)).then(Number);

  /** Opens every folded section, as a reader clicking each summary would (no script: `<details>` is the browser's). */
  async function unfold(page: Page): Promise<void> {
    const folded = page.locator('details:not([open]) > summary');
    while ((await folded.count()) > 0) await folded.first().click();
  }

  it('shows the example estate: the headline the JSON report gives, a matrix row per account, every finding', async () => {
    const [html, json] = await Promise.all([
      runCli(['scan', ...EXAMPLE, '--now', '2026-11-24', '--format', 'html']),
      runCli(['scan', ...EXAMPLE, '--now', '2026-11-24', '--format', 'json']),
    ]);
    const report = JSON.parse(json.stdout) as Report;
    const { page, requests } = await open(html.stdout);

    expect(html.code).toBe(0);
    expect(requests).toEqual([]);
    expect(await page.title()).toBe('Credential hygiene report, 2026-11-24');
    expect(await headline(page, 'accounts')).toBe(report.summary.accounts);
    expect(await headline(page, 'at-risk')).toBe(report.summary.byStatus['at-risk']);
    expect(await headline(page, 'unchecked')).toBe(report.summary.unchecked);
    expect(await headline(page, 'critical')).toBe(report.summary.bySeverity.critical);
    expect(await headline(page, 'exposed')).toBe(report.summary.exposed);
    // Actions first: fixing the mailbox, which exposes the four logins whose resets go to it.
    const firstAction = page.locator('li.action').first();
    expect(await seen(firstAction)).toMatch(
      /^CRITICAL Fix press-office\/mailbox: change its password.*\n.*exposes 4 logins/,
    );
    expect(await firstAction.locator('a').getAttribute('href')).toMatch(/^https:\/\//);
    // Owners, the worst first, and the matrix folded one table per owner in the same order.
    expect(await page.locator('#owners table.scorecard tbody th').allInnerTexts()).toEqual([
      'press-office',
      'digital-team',
      'No owner',
    ]);
    expect(await page.locator('details.owner-group summary .owner-name').allInnerTexts()).toEqual([
      'Owner: press-office',
      'Owner: digital-team',
      'No owner',
    ]);
    expect(await page.locator('table.matrix').first().isVisible()).toBe(false);
    await unfold(page);
    expect(await seen(firstAction)).toContain(
      'exposes 4 logins: press-office/facebook, press-office/instagram, press-office/press-releases, press-office/x',
    );
    const rows = await page.locator('table.matrix tr.account th').allInnerTexts();
    expect(rows.map((row) => row.replace(/ exposed$/, '')).sort()).toEqual(
      report.accounts.map((account) => account.id).sort(),
    );
    // A cell says what it shows in words, not by colour alone.
    const xMfa = page.locator('tr[data-account="press-office/x"] td[data-outcome]').nth(5);
    expect(await seen(xMfa)).toBe('✗ critical');
    expect(await page.locator('article.finding').count()).toBe(report.summary.findings);
    expect(await page.locator('#chart-severity').getAttribute('aria-label')).toBe(
      `critical: ${report.summary.bySeverity.critical}, high: ${report.summary.bySeverity.high}, medium: ${report.summary.bySeverity.medium}, low: ${report.summary.bySeverity.low}`,
    );
    expect(await page.locator('#chart-mfa').getAttribute('aria-label')).toBe(
      `verified: 0, vault: ${report.summary.byMfaEvidence?.vault}, attested: ${report.summary.byMfaEvidence?.attested}, none: ${report.summary.byMfaEvidence?.none}`,
    );
    // The incident's chain, drawn: the X account, reset through the mailbox, which is the link to fix first.
    const chains = await page.locator('section.takeovers li.chain').allInnerTexts();
    expect(chains).toContain('press-office/x ← press-office/mailbox fix first');
    const firstFinding = page.locator('article.finding').first();
    expect(await seen(firstFinding)).toContain('What to do:');
  }, 60_000);

  it('with --state, says what is new and what was fixed since the last run', async () => {
    const state = ['--state', join(dir(), 'state.json'), '--now', '2026-11-24'];
    await runCli(['scan', ...EXAMPLE, ...state]);
    const inventory = JSON.parse(require('node:fs').readFileSync('examples/inventory.json', 'utf8'));
    inventory.accounts = inventory.accounts.filter(
      (account: { id: string }) => account.id !== 'chief-constable/linkedin',
    );
    const smaller = join(dir(), 'inventory.json');
    writeFileSync(smaller, JSON.stringify(inventory));
    const second = await runCli([
      'scan',
      '--inventory',
      smaller,
      '--pwned-passwords',
      'examples/pwned-passwords.txt',
      ...state,
      '--format',
      'html',
    ]);
    const { page } = await open(second.stdout);

    await unfold(page);
    const changes = await seen(page.locator('section.changes'));
    expect(changes).toContain('Since the last run');
    expect(changes).toMatch(/0\s+new/);
    expect(changes).toContain('chief-constable/linkedin#ownership:missing-owner');
  }, 60_000);

  it('with --state kept over runs on different days, charts open findings by severity over them', async () => {
    const state = join(dir(), 'trend-state.json');
    await runCli(['scan', ...EXAMPLE, '--state', state, '--now', '2026-11-20']);
    const inventory = JSON.parse(require('node:fs').readFileSync('examples/inventory.json', 'utf8'));
    inventory.accounts = inventory.accounts.filter((account: { id: string }) => account.id !== 'digital-team/bluesky');
    const smaller = join(dir(), 'trend-inventory.json');
    writeFileSync(smaller, JSON.stringify(inventory));
    const html = await runCli([
      'scan',
      '--inventory',
      smaller,
      '--pwned-passwords',
      'examples/pwned-passwords.txt',
      '--state',
      state,
      '--now',
      '2026-11-24',
      '--format',
      'html',
    ]);
    const { page, requests } = await open(html.stdout);

    expect(requests).toEqual([]);
    const label = (await page.locator('#chart-trend').getAttribute('aria-label')) ?? '';
    // Bluesky's breached and weak password were open on the 20th, gone on the 24th.
    expect(label).toMatch(
      /^2026-11-20: 9 critical, 12 high, 4 medium, 1 low; 2026-11-24: 8 critical, 11 high, 4 medium, 1 low$/,
    );
    expect(await page.locator('#chart-trend g').count()).toBe(2);
  }, 60_000);

  it('shows hostile text as text: no markup, script or request comes of it', async () => {
    const evil = '<img src="https://evil.example/x.png"><script>document.title="owned"</script>';
    const report = buildReport(
      {
        accounts: [
          {
            id: `press/${evil}`,
            platform: 'x.com',
            owner: evil,
            status: 'at-risk',
            worstSeverity: 'high',
            checks: { mfa: 'failed' },
          },
        ],
        findings: [
          finding({
            accountId: `press/${evil}`,
            check: 'mfa',
            kind: 'no-evidence',
            severity: 'high',
            title: `Title ${evil}`,
            detail: `Detail \u202e${evil}`,
            remediation: evil,
          }),
        ],
        // A member account's name and an error's text, as Organizations and STS gave them: outside text too.
        members: {
          scanned: [{ id: '222222222222', name: evil, logins: 1 }],
          skipped: [{ id: '333333333333', name: evil, why: 'suspended' }],
          failed: [{ id: '444444444444', name: evil, reason: evil }],
        },
      },
      new Date('2026-06-01T00:00:00Z'),
      {
        tracked: true,
        new: [],
        worsened: [],
        reminded: [`press/${evil}#mfa:no-evidence`],
        unchanged: [],
        reopened: [],
        accepted: [],
        resolved: [],
        escalated: [{ id: `press/${evil}#mfa:no-evidence`, owner: evil, to: evil, openDays: 31 }],
      },
    );
    const html = formatReport(report, 'html');
    const { page, requests } = await open(html);
    await unfold(page);

    expect(requests).toEqual([]);
    expect(await page.locator('img, script').count()).toBe(0);
    expect(await seen(page.locator('#members'))).toContain('Could not be read: 444444444444 (<img src=');
    expect(await seen(page.locator('#changes'))).toContain('To <img src=');
    expect(await seen(page.locator('#changes'))).toContain('open 31 days');
    expect(await page.title()).toBe('Credential hygiene report, 2026-06-01');
    expect(await seen(page.locator('article.finding h3'))).toContain('Title <img src=');
    expect(await seen(page.locator('article.finding'))).toContain('\\u{202e}');
  }, 30_000);

  it('prints: the matrix is laid out in full, not cut to a scrolling box', async () => {
    const html = await runCli(['scan', ...EXAMPLE, '--now', '2026-11-24', '--format', 'html']);
    const { page } = await open(html.stdout);
    await page.emulateMedia({ media: 'print' });

    // Runs in the page; the cast only because the test's own types have no DOM.
    const overflow = await page
      .locator('.scroll')
      .first()
      .evaluate(
        (element) =>
          (globalThis as unknown as { getComputedStyle(of: unknown): { overflowX: string } }).getComputedStyle(element)
            .overflowX,
      );
    expect(overflow).toBe('visible');
    // Printing unfolds every folded section: paper has no summary to click.
    expect(await page.locator('table.matrix').first().isVisible()).toBe(true);
    expect(await page.locator('article.finding').first().isVisible()).toBe(true);
  }, 30_000);
});
