// The report page's card 考核指标与一票否决 in a real browser, read only (the demo data is shared by every e2e test):
// an admin opens a demo report and sees its indicators — those computed by a formula shown, not entered — and its
// veto switches; at 1366 px and at a phone's 360 px, where nothing on the page scrolls sideways.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { adminToken, api, BASE_URL, launchBrowser, login, newPage, screenshot } from './helpers.mjs';

/** A demo report whose cycle has a rubric with indicators, and its assessment as the API gives it. */
async function assessedReport(token) {
  const reports = await api('/reports?limit=200', { token });
  assert.equal(reports.status, 200);
  for (const report of reports.data.items) {
    const assessment = await api(`/reports/${report.id}/assessment`, { token });
    if (assessment.status === 200 && assessment.data.indicators.length > 0) return { report, assessment: assessment.data };
  }
  return null;
}

let browser;
let skip = false;
let target = null;

before(async () => {
  target = await assessedReport(await adminToken());
  if (!target) {
    skip = 'no demo report has a rubric with indicators';
    return;
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

describe(`the assessment card at ${BASE_URL}`, () => {
  test('an admin sees a report’s indicators and vetoes; computed ones are shown, not entered', async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    const { report, assessment } = target;
    const { context, page, errors } = await newPage(browser);
    try {
      await login(page);
      await page.goto(`/reports/${report.id}`);
      const card = page.getByTestId('assessment-card');
      await card.getByText('考核指标与一票否决').waitFor();
      for (const indicator of assessment.indicators) {
        const row = card.getByTestId(`indicator-${indicator.key}`);
        await row.getByText(indicator.title, { exact: true }).waitFor();
        if (indicator.computed) {
          await row.getByText('按公式自动计算').waitFor();
          assert.equal(await row.getByRole('spinbutton').count(), 0, `${indicator.key} cannot be entered`);
        } else {
          assert.equal(await row.getByRole('spinbutton').count(), 1, `${indicator.key} can be entered`);
        }
      }
      for (const veto of assessment.vetoes) {
        const field = card.getByTestId(`veto-${veto.key}`);
        if (veto.fact) {
          // Decided by a veto fact from the data (项目落地一票否决): said in words, no switch to set.
          await field.getByTestId('veto-by-data').waitFor();
          assert.equal((await field.getByTestId('veto-decision').innerText()).trim(), veto.vetoed ? '否决' : '未否决', `${veto.key} as decided`);
          assert.equal(await field.getByRole('switch').count(), 0, `${veto.key} cannot be set by hand`);
        } else {
          const sw = field.getByRole('switch');
          assert.equal(await sw.getAttribute('aria-checked'), String(veto.vetoed), `${veto.key} as stored`);
        }
      }
      await screenshot(page, 'assessment-1366');
      await page.setViewportSize({ width: 360, height: 780 });
      // The side menu folds away below 992 px (then opens from its button); let its transition end.
      await page.locator('.ant-layout-sider-collapsed').waitFor();
      await page.waitForTimeout(400);
      await card.getByText('考核指标与一票否决').waitFor();
      // The page, the header included (short name, icons only), fits a phone's width.
      await page.getByTestId('logout').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `nothing scrolls sideways at 360 px (${width})`);
      await screenshot(page, 'assessment-360');
      assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
    } catch (error) {
      await screenshot(page, 'FAILED-assessment').catch(() => {});
      throw error;
    } finally {
      await context.close();
    }
  });
});
