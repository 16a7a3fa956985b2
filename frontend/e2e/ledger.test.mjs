// Browser test: the admin opens the ledger dashboard (the demo cycle's 400+ items in 5 categories),
// the ledger's kanban and an item; the public progress board opens without a login and lists only the
// items the org department marked public, under their public titles (the demo cycle's results are published).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, login, screenshot, withPage } from './helpers.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** The demo county's published cycle, whose ledger holds the 400+ opinions. */
const DEMO_CYCLE = '2013年上半年乡镇党委书记抓基层党建述职评议';

const number = async (locator) => Number((await locator.innerText()).replace(/[^\d]/g, ''));

describe('rectification ledger', () => {
  test('the admin opens the ledger dashboard and sees 400+ items in 5 categories', () =>
    withPage(browser, 'ledger-dashboard', async (page) => {
      await login(page);
      await page.getByRole('link', { name: '整改督办' }).click();
      await page.getByTestId('ledger-totals').waitFor();
      // The demo county's cycle: the Luolong demo's year-end cycle has a ledger of its own (its supervision findings).
      await page.getByTestId('cycle-select').click();
      await page.keyboard.type('上半年乡镇党委');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: DEMO_CYCLE }).first().click();
      await page.getByTestId('cycle-select').locator('.ant-select-selection-item', { hasText: DEMO_CYCLE }).waitFor();
      await page.waitForLoadState('networkidle');
      const total = await number(page.getByTestId('ledger-stat-total').locator('.ant-statistic-content'));
      assert.ok(total >= 400, `expected 400+ items, saw ${total}`);
      const overdue = await number(page.getByTestId('ledger-stat-overdue').locator('.ant-statistic-content'));
      assert.ok(overdue > 0, 'some items are overdue');
      await page.getByTestId('grouped-bar-chart').first().waitFor();
      const categories = page.getByTestId('ledger-stats-categories').locator('tbody tr.ant-table-row');
      assert.equal(await categories.count(), 5);
      for (const name of ['班子建设', '党员队伍', '服务群众', '发展经济', '作风建设']) {
        await page.getByTestId('ledger-stats-categories').getByText(name, { exact: true }).waitFor();
      }
      const sum = await categories.evaluateAll((rows) =>
        rows.reduce((acc, row) => acc + Number(row.querySelectorAll('td')[1].textContent), 0),
      );
      assert.equal(sum, total, 'the categories add up to the total');
      // The cycle's 14 townships (its host's: not the Luolong demo's towns).
      assert.equal(await page.getByTestId('ledger-stats-orgs').locator('tbody tr.ant-table-row').count(), 14);
      await page.getByTestId('ledger-reminders').waitFor();
      await screenshot(page, 'ledger-dashboard');

      await page.getByRole('link', { name: '整改台账' }).click();
      await page.getByTestId('ledger-table').locator('tbody tr.ant-table-row').first().waitFor();
      await page.getByTestId('filter-overdue').click();
      await page.getByTestId('ledger-table').getByText('超期').first().waitFor();
      await page.getByTestId('filter-overdue').click();
      await page.getByText('看板').click();
      await page.getByTestId('kanban-verified').getByTestId('kanban-card').first().waitFor();
      await screenshot(page, 'ledger-kanban');
      await page.getByTestId('kanban-open').getByTestId('kanban-card').first().locator('a').click();
      await page.getByTestId('ledger-item-title').waitFor();
      await page.getByTestId('ledger-timeline').getByText('立项').waitFor();
      await page.getByTestId('ledger-opinions').waitFor();
      // The org department decides what the public board shows, and under which title.
      await page.getByTestId('ledger-publicity').waitFor();
      await screenshot(page, 'ledger-item');
    }));

  test('the public progress board opens without a login', () =>
    withPage(browser, 'ledger-board', async (page) => {
      await page.goto('/board');
      await page.getByTestId('board-title').waitFor();
      await page.getByTestId('ledger-board').waitFor();
      // The board opens on the newest published cycle (the Luolong demo's): choose the demo county's.
      await page.locator('div.ant-select[aria-label="评议周期"]').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: DEMO_CYCLE }).first().click();
      await page.getByTestId('board-orgs').getByText('城关镇').first().waitFor();
      assert.ok((await number(page.getByTestId('board-total').locator('.ant-statistic-content'))) >= 400);
      await page.getByTestId('board-orgs').getByText('城关镇').first().waitFor();
      assert.equal(new URL(page.url()).pathname, '/board', 'no redirect to the login page');
      // 城关镇's marked items, under the titles the org department gave them: never an item's own title
      // (the demo's start with the township's name) nor an opinion's words.
      await page.getByTestId('board-orgs').getByText('城关镇').first().click();
      const rows = page.getByTestId('board-orgs').locator('.ant-collapse-item-active tbody tr.ant-table-row');
      await rows.first().waitFor();
      const titles = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[1].textContent));
      assert.ok(titles.length >= 1 && titles.length <= 2, `one or two marked items, saw ${titles.length}`);
      for (const title of titles) assert.ok(!title.startsWith('城关镇'), `an item's own title on the board: ${title}`);
      assert.ok(!(await page.getByTestId('ledger-board').innerText()).includes('群众反映'), 'an opinion quoted on the board');
      await screenshot(page, 'ledger-board');
    }));
});
