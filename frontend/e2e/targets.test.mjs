// Browser test: target-responsibility supervision (目标责任督查考核) from set-up to completion, as the admin would do it.
// A small programme hosted by the demo county (汝阳县委) over this year, one measure (落地项目数: projects at 落地,
// weight 1) with a target of 1 for 小店镇 only; started; a lead registered for 小店镇 on the pipeline board and moved
// to 落地; the completion page then ranks 小店镇 first at 100 %. The demo's own programmes are left as they are.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, login, screenshot, serverHas, withPage } from './helpers.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Today in Beijing, as the pages count it. */
function beijingToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** Pick an option of an antd Select: open it (typing to search when asked), then click the option titled `title`. */
async function choose(page, select, title, search) {
  await select.click();
  if (search) await page.keyboard.type(search);
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`).click();
}

describe('target-responsibility supervision', () => {
  test('the admin sets up a programme, lands a lead and sees the township complete and ranked first', async (t) => {
    if (!(await serverHas('/api/v1/targets/programmes/{programme_id}/completion'))) {
      t.skip('the server has no target programmes');
      return;
    }
    await withPage(browser, 'targets', async (page) => {
      const today = beijingToday();
      const year = today.slice(0, 4);
      // Digits keep the name unique across runs on one database; a programme's name is free text.
      const name = `${year}年招商引资目标责任（测试${Date.now() % 100000}）`;
      await login(page);

      // 1. The programme: name, host, this year as its period.
      await page.getByTestId('side-menu').getByRole('link', { name: '目标方案', exact: true }).click();
      await page.getByTestId('programme-table').waitFor();
      await page.getByTestId('programme-create').click();
      const form = page.getByRole('dialog');
      await form.getByLabel('方案名称').fill(name);
      await choose(page, form.getByRole('combobox', { name: '牵头单位' }), '汝阳县委', '汝阳');
      const [start, end] = [form.locator('.ant-picker-range input').first(), form.locator('.ant-picker-range input').last()];
      await start.click();
      await start.fill(`${year}-01-01`);
      await start.press('Enter');
      await end.fill(`${year}-12-31`);
      await end.press('Enter');
      await form.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByTestId('programme-name').getByText(name).waitFor();
      const programmeId = Number(new URL(page.url()).pathname.split('/').pop());
      assert.ok(programmeId > 0, `the programme's page opened (${page.url()})`);

      // 2. One measure: 落地项目数, counted when a project reaches 落地, by number of projects.
      await page.getByTestId('measure-add').click();
      const measure = page.getByRole('dialog');
      await measure.getByLabel('指标名称').fill('落地项目数');
      await choose(page, measure.getByTestId('measure-stage'), '落地');
      await choose(page, measure.getByTestId('measure-basis'), '项目个数');
      await measure.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByTestId('measure-table').getByText('落地项目数').waitFor();

      // 3. The grid of targets: 1 for 小店镇, every other cell left empty (no target).
      await page.getByRole('tab', { name: '目标任务' }).click();
      await page.getByLabel('小店镇 · 落地项目数').fill('1');
      await page.getByTestId('grid-save').click();
      await page.getByText('目标已保存').waitFor();
      await screenshot(page, 'targets-grid');

      // 4. Start it.
      await page.getByTestId('programme-status-action').click();
      await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /确\s*定/ }).click();
      await page.getByText(/方案状态已更新为“考核中”/).waitFor();

      // 5. A lead for 小店镇, registered on the pipeline board (洽谈), then moved to 落地 today.
      await page.locator(`a[href="/targets/pipeline?programme=${programmeId}"]`).click();
      await page.waitForURL((url) => url.pathname === '/targets/pipeline' && url.searchParams.get('programme') === String(programmeId));
      await page.getByTestId('project-board').waitFor();
      await page.getByTestId('project-create').click();
      const lead = page.getByRole('dialog');
      const company = `洛阳精工轴承有限公司${Date.now() % 1000}`;
      await lead.getByLabel('企业名称').fill(company);
      await choose(page, lead.getByTestId('project-unit'), '小店镇', '小店');
      await lead.getByRole('button', { name: /保\s*存/ }).click();
      const card = page.getByTestId('board-negotiating').getByTestId('project-card').filter({ hasText: company });
      await card.waitFor();
      await card.getByRole('button', { name: /推进阶段/ }).click();
      const move = page.getByRole('dialog');
      await move.getByText('落地', { exact: true }).click();
      await move.getByRole('button', { name: /确\s*定/ }).click();
      await page.getByText('项目已推进到“落地”').waitFor();
      const landed = page.getByTestId('board-landed').getByTestId('project-card').filter({ hasText: company });
      await landed.waitFor();
      await screenshot(page, 'targets-pipeline');
      // Its history: registered (洽谈), then moved to 落地 today.
      await landed.getByRole('button', { name: company, exact: true }).click();
      const history = page.getByTestId('project-timeline');
      await history.getByText('登记（洽谈）').waitFor();
      await history.getByText('由“洽谈”到“落地”').waitFor();
      await page.keyboard.press('Escape');

      // 6. Completion today: 小店镇 has landed 1 of 1, ranked first.
      await page.goto(`/targets/completion?programme=${programmeId}`);
      const row = page.getByTestId('completion-table').locator('tr[data-unit="小店镇"]');
      await row.waitFor();
      assert.equal((await row.getByTestId('completion-rank').innerText()).trim(), '1');
      assert.equal((await row.getByTestId('completion-weighted').innerText()).trim(), '100.0%');
      await row.getByText('绿灯').waitFor();
      await row.getByText('落地项目 1 个').waitFor();
      assert.equal(await page.getByTestId('completion-table').locator('tbody tr[data-unit]').count(), 1, 'only the unit with a target is listed');
      await page.getByTestId('completion-chart').waitFor();
      await screenshot(page, 'targets-completion');
    });
  });
});
