// Wide tables at a 1366 px desktop: every column on the page, none cut off behind a scroll bar or covered by a
// fixed 操作 column (the ledger, the secretary's items, petitions, the follow-up report, the ranking); on a 360 px
// phone the secretary's items are cards. Demo data, read only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BASE_URL, launchBrowser, login, newPage, screenshot } from './helpers.mjs';

const PAGES = {
  admin: ['/ledger', '/petitions', '/cycles/1/results', '/ledger/opinions', '/notices'],
  s410326104: ['/ledger/mine', '/ledger/followup', '/petitions', '/cycles/1/results'],
};

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Tables on the page that scroll sideways inside themselves: `testid (content/visible px)`. */
const scrollingTables = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.ant-table-wrapper')].flatMap((wrapper) => {
      const body = wrapper.querySelector('.ant-table-content, .ant-table-body');
      if (!body || body.scrollWidth <= body.clientWidth + 1) return [];
      return [`${wrapper.getAttribute('data-testid') ?? 'table'} (${body.scrollWidth}/${body.clientWidth} px)`];
    }),
  );

describe(`tables at 1366 px at ${BASE_URL}`, () => {
  for (const [username, paths] of Object.entries(PAGES)) {
    test(`${username}: every table fits a 1366 px screen without scrolling sideways`, async () => {
      const { context, page, errors } = await newPage(browser);
      try {
        await login(page, { username, password: 'shuping-demo' });
        const cut = [];
        for (const path of paths) {
          await page.goto(path);
          await page.waitForLoadState('networkidle');
          await page.locator('.ant-table-wrapper').first().waitFor();
          await page.waitForTimeout(300); // tables lay themselves out after their data
          const name = `tables-1366-${username}${path.replaceAll('/', '-')}`;
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          const tables = await scrollingTables(page);
          if (width > 1366 || tables.length > 0) {
            cut.push(`${path}: page ${width} px; ${tables.join(', ') || 'tables fit'}`);
            await screenshot(page, `FAILED-${name}`);
          } else await screenshot(page, name);
        }
        assert.deepEqual(cut, [], 'pages whose tables do not fit 1366 px');
        assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
      } finally {
        await context.close();
      }
    });
  }

  test('a secretary’s items are cards on a 360 px phone: problem, status, deadline and steps', async () => {
    const { context, page, errors } = await newPage(browser);
    try {
      await page.setViewportSize({ width: 360, height: 780 });
      await login(page, { username: 's410326104', password: 'shuping-demo' });
      await page.goto('/ledger/mine');
      const cards = page.getByTestId('ledger-cards');
      await cards.waitFor();
      const first = cards.locator('[data-testid^="ledger-card-"]').first();
      for (const label of ['问题', '状态', '截止日期']) await first.getByText(label, { exact: true }).waitFor();
      assert.equal(await page.getByTestId('ledger-table').count(), 0, 'no table on the phone');
      assert.ok(
        (await cards.getByText('操作', { exact: true }).count()) > 0,
        'the items the secretary can move offer their steps on the card',
      );
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `nothing scrolls sideways at 360 px (${width})`);
      await screenshot(page, 'tables-360-my-ledger-items');
      assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
    } finally {
      await context.close();
    }
  });
});
