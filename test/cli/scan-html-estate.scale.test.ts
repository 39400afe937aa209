import { useChromium } from '../support/headless-chromium';
import { estateReports, onFirstScreen, openReport, pageHeight } from '../support/report-page';
import { useTempDir } from '../support/temp-dir';

describe('CLI: scan --format html on a 3,000-login estate (250 teams), in headless Chromium', () => {
  const dir = useTempDir();
  const browser = useChromium();

  it('opens within 10 s (the page load is bounded by it), folded to its owners, with the actions on the first screen', async () => {
    const { html, report } = await estateReports(dir(), 250);
    // openReport fails if the page has not loaded in 10 s.
    const { page, requests, close } = await openReport(browser(), dir(), html);
    try {
      expect(requests).toEqual([]);
      expect(report.summary.accounts).toBe(3000);
      for (let index = 0; index < 10; index++) {
        expect(await onFirstScreen(page, `#actions > ol.actions > li.action:nth-child(${index + 1})`)).toBe(true);
      }
      expect(await onFirstScreen(page, '#owners > table.scorecard')).toBe(true);
      expect(await page.locator('details.owner-group').count()).toBe(250);
      // Folded, a page of 3,000 logins is three lines per owner, not a screen per login.
      expect(await pageHeight(page)).toBeLessThanOrEqual(40_000);
    } finally {
      await close();
    }
  }, 120_000);
});
