import { useChromium } from '../support/headless-chromium';
import { estateReports, onFirstScreen, openReport, pageHeight } from '../support/report-page';
import { useTempDir } from '../support/temp-dir';

describe('CLI: scan --format html on a 300-login estate (25 teams), in headless Chromium', () => {
  const dir = useTempDir();
  const browser = useChromium();

  it('ranks each root mailbox above the logins it alone exposes, which are counted as exposed, not at risk', async () => {
    const { report } = await estateReports(dir(), 25);
    const rank = new Map(report.actions.map((action, index) => [action.account, index]));

    // Every third team's mailbox is breached: its eleven logins fall with it.
    const roots = report.actions.filter((action) => action.account.endsWith('/mailbox'));
    expect(roots).toHaveLength(9);
    for (const root of roots) {
      expect(root.severity).toBe('critical');
      for (const exposed of root.exposes) {
        const own = rank.get(exposed);
        if (own !== undefined) expect(rank.get(root.account)).toBeLessThan(own);
      }
    }
    expect(report.actions.slice(0, 9).map((action) => action.account)).toEqual(roots.map((root) => root.account));
    expect(report.summary.exposed).toBeGreaterThan(0);
    expect(report.summary.byStatus['at-risk'] + report.summary.exposed).toBe(
      report.accounts.filter((account) => account.worstSeverity !== null).length,
    );
    for (const found of report.findings.filter((each) => each.check === 'recovery')) {
      expect(found.rootAction).toMatch(/^fix:team-\d+\/mailbox$/);
    }
  }, 60_000);

  it('is at most 15,000 px tall folded, its first screen holds the headline, the top actions and the scorecard', async () => {
    const { html, report } = await estateReports(dir(), 25);
    const { page, requests, close } = await openReport(browser(), dir(), html);
    try {
      expect(requests).toEqual([]);
      expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'",
      );
      expect(await pageHeight(page)).toBeLessThanOrEqual(15_000);
      expect(await onFirstScreen(page, 'section.cards')).toBe(true);
      expect(await page.locator('ol.actions > li.action').count()).toBeGreaterThanOrEqual(10);
      for (let index = 0; index < 10; index++) {
        expect(await onFirstScreen(page, `#actions > ol.actions > li.action:nth-child(${index + 1})`)).toBe(true);
      }
      expect(await onFirstScreen(page, '#owners > table.scorecard')).toBe(true);
      // The scorecard ranks owners by their worst open finding, then their count: the JSON's order.
      expect(await page.locator('#owners table.scorecard').first().locator('tbody th').allInnerTexts()).toEqual(
        report.summary.byOwner.slice(0, 10).map((score) => score.owner),
      );
      // Contents: each section has an anchor the contents line links to.
      for (const href of await page
        .locator('nav.contents a')
        .evaluateAll((links) =>
          links.map((link) => (link as unknown as { getAttribute(name: string): string }).getAttribute('href')),
        )) {
        expect(await page.locator(href).count()).toBe(1);
      }
      // Printing unfolds everything: every finding is on paper.
      await page.emulateMedia({ media: 'print' });
      expect(await pageHeight(page)).toBeGreaterThan(15_000);
      expect(await page.locator('article.finding').last().isVisible()).toBe(true);
    } finally {
      await close();
    }
  }, 60_000);
});
