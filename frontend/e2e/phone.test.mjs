// Every signed-in page an admin or a secretary opens from the menu fits a phone's 360 px: nothing scrolls sideways
// (wide tables scroll inside themselves). Demo data, read only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BASE_URL, launchBrowser, login, newPage, screenshot } from './helpers.mjs';

const PAGES = {
  admin: [
    '/', '/orgs', '/users', '/audit', '/rubrics', '/cycles', '/cycles/1', '/cycles/1/meetings', '/meetings', '/results',
    '/cycles/1/results', '/interviews', '/notices', '/ledger', '/ledger/dashboard', '/ledger/opinions', '/ledger/followup',
    '/petitions', '/petitions/stats',
  ],
  s410326104: ['/', '/my-reports', '/my-meetings', '/my-results', '/cycles/1/results', '/notices', '/ledger/mine'],
};

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

describe(`pages at 360 px at ${BASE_URL}`, () => {
  for (const [username, paths] of Object.entries(PAGES)) {
    test(`${username}: no page scrolls sideways on a phone`, async () => {
      const { context, page, errors } = await newPage(browser);
      try {
        await page.setViewportSize({ width: 360, height: 780 });
        await login(page, { username, password: 'shuping-demo' });
        const wide = [];
        for (const path of paths) {
          await page.goto(path);
          await page.waitForLoadState('networkidle');
          await page.waitForTimeout(300); // charts and tables lay themselves out after their data
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > 360) {
            wide.push(`${path} (${width} px)`);
            await screenshot(page, `FAILED-phone-${username}${path.replaceAll('/', '-')}`);
          }
        }
        assert.deepEqual(wide, [], 'pages wider than the phone');
        assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
      } finally {
        await context.close();
      }
    });
  }
});
