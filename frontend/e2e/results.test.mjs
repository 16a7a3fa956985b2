// The results page in a real browser: the first cycle that has results shows its ranking table and charts, explains a
// report and exports Excel. Skips itself while the server has no results API or no cycle has results yet.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { adminToken, api, BASE_URL, launchBrowser, login, screenshot, withPage } from './helpers.mjs';

async function hasResultsApi() {
  try {
    const { status, data } = await api('/openapi.json');
    return status === 200 && Boolean(data.paths?.['/api/v1/cycles/{cycle_id}/results']);
  } catch {
    return false;
  }
}

/** The first cycle whose results have been computed, with them. */
async function firstCycleWithResults(token) {
  const cycles = await api('/cycles?limit=500', { token });
  assert.equal(cycles.status, 200);
  for (const cycle of cycles.data.items) {
    const results = await api(`/cycles/${cycle.id}/results`, { token });
    if (results.status === 200 && results.data.items.length > 0) return { cycle, results: results.data };
  }
  return null;
}

let browser;
let skip = false;
let target = null;

before(async () => {
  if (!(await hasResultsApi())) {
    skip = 'the server has no results API yet';
    return;
  }
  target = await firstCycleWithResults(await adminToken());
  if (!target) {
    skip = 'no cycle has computed results in the demo data yet';
    return;
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

describe(`results at ${BASE_URL}`, () => {
  test('an admin opens the first cycle with results from the menu: table, charts, explanation, Excel', async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    const { cycle, results } = target;
    await withPage(browser, 'results', async (page) => {
      await login(page);
      await page.getByTestId('side-menu').getByRole('link', { name: '综合评价' }).click();
      await page.getByTestId('result-cycles').getByRole('link', { name: cycle.name }).first().click();
      await page.waitForURL(`**/cycles/${cycle.id}/results`);
      await page.getByTestId('results-title').getByText(cycle.name).waitFor();

      const table = page.getByTestId('ranking-table');
      const rows = table.locator('tbody tr.ant-table-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), Math.min(results.items.length, 50), 'one row per report');
      const first = results.items[0];
      await rows.first().getByText(first.org_name).waitFor();
      if (first.total !== null) await rows.first().getByText(first.total, { exact: true }).first().waitFor();
      const tiers = new Set(results.items.map((item) => item.tier ?? 'none'));
      for (const tier of tiers) assert.ok((await table.getByTestId(`tier-${tier}`).count()) > 0, `the ${tier} tier is shown`);

      const ranked = results.items.filter((item) => item.total !== null);
      if (ranked.length > 0) {
        const chart = page.getByTestId('ranking-chart');
        await chart.locator('canvas').waitFor();
        assert.match((await chart.getAttribute('aria-label')) ?? '', new RegExp(`${ranked[0].org_name} ${ranked[0].total}`));
        const box = await chart.boundingBox();
        assert.ok(box && box.width > 200 && box.height > 200, 'the ranking chart has a size');
      }
      await page.getByTestId('tier-chart').locator('canvas').waitFor();
      await screenshot(page, 'results');

      // The explanation drawer: every ballot total, each step.
      await page.getByTestId(`explain-${first.report_id}`).click();
      await page.getByTestId('explain-content').waitFor();
      assert.ok((await page.getByTestId('explain-steps').locator('li').count()) >= 3, 'the steps are listed');
      await screenshot(page, 'results-explain');
      await page.keyboard.press('Escape');
      await page.getByTestId('explain-content').waitFor({ state: 'detached' });

      // The Excel export streams through the client and is saved under the server's name.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
      assert.match(download.suggestedFilename(), /\.xlsx$/);
      const path = await download.path();
      assert.ok(path, 'the workbook was saved');
    });
  });
});
