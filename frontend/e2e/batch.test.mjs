// Browser test: batch actions on the demo. The admin verifies three finished ledger items in one action
// (selected in the ledger table, confirmed in a dialog that lists them), and the duplicate suggestions show
// 小店镇's repeated item "班子成员分工不够明确，抓党建合力不足" — brought back to work first through the API
// (the demo finished those items: one is sent back, and the problem is raised again by a clerk's entry) —
// and merge it with one click.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { adminToken, api, launchBrowser, login, screenshot, withPage } from './helpers.mjs';

const CYCLE = '2013年上半年乡镇党委书记抓基层党建述职评议';
const REPEATED = '班子成员分工不够明确，抓党建合力不足';

let browser;
let token;
let cycleId;

before(async () => {
  browser = await launchBrowser();
  token = await adminToken();
  const cycles = await api('/cycles?limit=500', { token });
  cycleId = cycles.data.items.find((c) => c.name === CYCLE).id;
});

after(async () => {
  await browser?.close();
});

const items = async (query) => (await api(`/ledger/items?cycle_id=${cycleId}&limit=500&${query}`, { token })).data.items;

/** Open the ledger on the demo cycle. */
async function openLedger(page) {
  await login(page);
  await page.goto('/ledger');
  await page.getByTestId('ledger-table').locator('tbody tr.ant-table-row').first().waitFor();
  await page.getByTestId('ledger-filters').getByTestId('cycle-select').click();
  await page.locator('.ant-select-dropdown:visible').getByText(CYCLE, { exact: false }).first().click();
}

describe('batch actions', () => {
  test('the duplicate suggestions show 小店镇’s repeated item and merge it with one click', () =>
    withPage(browser, 'batch-duplicates', async (page) => {
      // 小店镇's repeated item, back in work: the finished copy sent back, and the problem raised once more.
      const xiaodian = (await items(`q=${encodeURIComponent(REPEATED)}`)).filter((i) => i.org.name === '小店镇');
      assert.ok(xiaodian.length >= 3, `the demo repeats the item at 小店镇: ${xiaodian.length}`);
      for (const item of xiaodian.filter((i) => i.status === 'done')) {
        const moved = await api(`/ledger/items/${item.id}/transitions`, {
          token,
          method: 'POST',
          body: { to: 'in_progress', note: '与同一问题的其他事项合并办理' },
        });
        assert.equal(moved.status, 200, JSON.stringify(moved.data));
      }
      const raised = await api(`/cycles/${cycleId}/opinions`, {
        token,
        method: 'POST',
        body: { org_id: xiaodian[0].org.id, category: '班子建设', text: `${REPEATED}。` },
      });
      assert.equal(raised.status, 201, JSON.stringify(raised.data));

      await openLedger(page);
      const group = page.getByTestId('duplicate-group-410326104');
      await group.waitFor();
      const text = await group.innerText();
      assert.ok(text.includes(`小店镇${REPEATED}`), text);
      assert.ok(text.includes('保留'), 'the item to keep is marked');
      await screenshot(page, 'batch-duplicates');
      await group.getByRole('button', { name: '合并为一项' }).click();
      await page.getByText(/并入 #\d+“/).waitFor();
      await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /确\s*定/ }).click();
      await page.getByText(/已合并为 #\d+/).waitFor();
      await group.waitFor({ state: 'detached' });
      const active = (await items(`q=${encodeURIComponent('班子成员分工不够明确')}&status=open&status=in_progress`)).filter(
        (i) => i.org.name === '小店镇',
      );
      assert.equal(active.length, 1, 'one item remains');
      assert.ok(active[0].opinion_count >= 2, 'it holds every opinion');
    }));

  test('three finished items are verified in one action', () =>
    withPage(browser, 'batch-verify', async (page) => {
      assert.ok((await items('status=done')).length >= 3, 'the demo has finished items awaiting verification');
      await openLedger(page);
      await page.getByTestId('filter-status').click();
      await page.locator('.ant-select-dropdown:visible').getByText('已完成待验收', { exact: true }).click();
      await page.keyboard.press('Escape');
      const table = page.getByTestId('ledger-table');
      const rows = table.locator('tbody tr.ant-table-row');
      await table.getByText('已完成待验收').first().waitFor();
      await page.waitForFunction(() =>
        [...document.querySelectorAll('[data-testid="ledger-table"] tbody tr.ant-table-row')].every((tr) =>
          tr.textContent.includes('已完成待验收'),
        ),
      );
      const ids = [];
      for (let n = 0; n < 3; n += 1) {
        const row = rows.nth(n);
        ids.push(Number(await row.getAttribute('data-row-key')));
        await row.locator('.ant-checkbox-input').check();
      }
      await page.getByTestId('ledger-batch').getByText('已选 3 项').waitFor();
      await page.getByTestId('ledger-batch-step').click();
      await page.locator('.ant-select-dropdown:visible').getByText('验收通过', { exact: true }).click();
      await page.getByTestId('ledger-batch-move').click();
      const dialog = page.getByTestId('ledger-batch-confirm');
      await dialog.getByText('将对以下 3 个事项执行“验收通过”，状态改为“已验收”：').waitFor();
      for (const id of ids) await dialog.getByText(new RegExp(`^#${id} `)).waitFor();
      await screenshot(page, 'batch-verify-confirm');
      await page.getByRole('button', { name: '确认验收通过 3 项' }).click();
      await page.getByText('已验收通过 3 个事项').waitFor();
      for (const id of ids) {
        const item = await api(`/ledger/items/${id}`, { token });
        assert.equal(item.data.status, 'verified', `item ${id}`);
        assert.equal(item.data.events.at(-1).action, 'verify');
      }
      // The list follows: the verified items left the 已完成待验收 filter.
      await page.waitForFunction(
        (gone) => ![...document.querySelectorAll('[data-testid="ledger-table"] tbody tr.ant-table-row')].some((tr) => gone.includes(Number(tr.dataset.rowKey))),
        ids,
      );
    }));
});
