// Browser test: target-responsibility supervision (目标责任督查考核) from set-up to completion, as the admin would do it.
// A small programme hosted by the demo county (汝阳县委) over last month (so that month is over and its bulletin may be
// published), one measure (落地项目数: projects at 落地, weight 1) with a target of 1 for 小店镇 only; started; the
// month's bulletin drafted, 小店镇 at 0 % and 红灯; a lead registered for 小店镇 on the pipeline board and moved to
// 落地 within the month; the completion page then ranks 小店镇 first at 100 %, the draft bulletin (computed live)
// says 100 % and 绿灯, and once published the public board shows it under 目标责任完成情况. Then a cycle hosted by the
// county over that month, with a rubric whose indicator 目标责任完成率 is the formula `target_completion` (max 10)
// and 小店镇 reporting (set up through the API): 小店镇's report's assessment card shows 10 points (100 % × 10).
// The demo's own programmes and cycles are left as they are.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { adminToken, api, launchBrowser, login, screenshot, serverHas, withPage } from './helpers.mjs';

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

/** The month before the one `today` (YYYY-MM-DD) falls in: its first and last day (YYYY-MM-DD). */
function previousMonth(today) {
  const [year, month] = today.split('-').map(Number);
  const [y, m] = month === 1 ? [year - 1, 12] : [year, month - 1];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { start: `${y}-${mm}-01`, middle: `${y}-${mm}-15`, end: `${y}-${mm}-${last}`, year: String(y) };
}

/** Type a day into an antd DatePicker's input and confirm it. */
async function pickDay(input, day) {
  await input.click();
  await input.fill(day);
  await input.press('Enter');
}

/** Pick an option of an antd Select: open it (typing to search when asked), then click the option titled `title`. */
async function choose(page, select, title, search) {
  await select.click();
  if (search) await page.keyboard.type(search);
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`).click();
}

describe('target-responsibility supervision', () => {
  test('the admin sets up a programme, lands a lead and sees the township complete, ranked first, in the bulletin and in a cycle', async (t) => {
    if (!(await serverHas('/api/v1/targets/programmes/{programme_id}/completion'))) {
      t.skip('the server has no target programmes');
      return;
    }
    await withPage(browser, 'targets', async (page) => {
      const month = previousMonth(beijingToday());
      const { year } = month;
      // Digits keep the name unique across runs on one database; a programme's name is free text.
      const name = `${year}年招商引资目标责任（测试${Date.now() % 100000}）`;
      await login(page);

      // 1. The programme: name, host, last month as its period.
      await page.getByTestId('side-menu').getByRole('link', { name: '目标方案', exact: true }).click();
      await page.getByTestId('programme-table').waitFor();
      await page.getByTestId('programme-create').click();
      const form = page.getByRole('dialog');
      await form.getByLabel('方案名称').fill(name);
      await choose(page, form.getByRole('combobox', { name: '牵头单位' }), '汝阳县委', '汝阳');
      const [start, end] = [form.locator('.ant-picker-range input').first(), form.locator('.ant-picker-range input').last()];
      await start.click();
      await start.fill(month.start);
      await start.press('Enter');
      await end.fill(month.end);
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

      // 5. The month's bulletin (通报), drafted before anything landed: 小店镇 at 0 %, red against a finished month.
      await page.goto(`/targets/bulletins?programme=${programmeId}`);
      await page.getByTestId('bulletin-create').click();
      await page.getByTestId('bulletin-create-ok').click();
      await page.waitForURL((url) => /^\/targets\/bulletins\/\d+$/.test(url.pathname));
      const bulletinPath = new URL(page.url()).pathname;
      await page.getByTestId('bulletin-title').getByText(`${Number(month.start.slice(5, 7))}月份`).waitFor();
      const draft = page.getByTestId('bulletin-table').locator('tr[data-unit="小店镇"]');
      await draft.waitFor();
      assert.equal((await draft.getByTestId('bulletin-weighted').innerText()).trim(), '0.0%');
      await draft.getByText('红灯').waitFor();
      await page.getByTestId('bulletin-publish').waitFor();

      // 6. A lead for 小店镇, registered on the pipeline board (洽谈) on the month's first day, then moved to 落地 on its 15th.
      await page.goto(`/targets/pipeline?programme=${programmeId}`);
      await page.getByTestId('project-board').waitFor();
      await page.getByTestId('project-create').click();
      const lead = page.getByRole('dialog');
      const company = `洛阳精工轴承有限公司${Date.now() % 1000}`;
      await lead.getByLabel('企业名称').fill(company);
      await choose(page, lead.getByTestId('project-unit'), '小店镇', '小店');
      await pickDay(lead.getByLabel('洽谈日期'), month.start);
      await lead.getByRole('button', { name: /保\s*存/ }).click();
      const card = page.getByTestId('board-negotiating').getByTestId('project-card').filter({ hasText: company });
      await card.waitFor();
      await card.getByRole('button', { name: /推进阶段/ }).click();
      const move = page.getByRole('dialog');
      await move.getByText('落地', { exact: true }).click();
      await pickDay(move.getByLabel('日期', { exact: true }), month.middle);
      await move.getByRole('button', { name: /确\s*定/ }).click();
      await page.getByText('项目已推进到“落地”').waitFor();
      const landed = page.getByTestId('board-landed').getByTestId('project-card').filter({ hasText: company });
      await landed.waitFor();
      await screenshot(page, 'targets-pipeline');
      // Its history: registered (洽谈), then moved to 落地.
      await landed.getByRole('button', { name: company, exact: true }).click();
      const history = page.getByTestId('project-timeline');
      await history.getByText('登记（洽谈）').waitFor();
      await history.getByText('由“洽谈”到“落地”').waitFor();
      await page.keyboard.press('Escape');

      // 7. Completion today (the period is over: as at its end): 小店镇 has landed 1 of 1, ranked first.
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

      // 8. The draft bulletin, computed live, has changed: 100 % and green. Published, the public board shows it.
      await page.goto(bulletinPath);
      const moved = page.getByTestId('bulletin-table').locator('tr[data-unit="小店镇"]');
      await moved.waitFor();
      assert.equal((await moved.getByTestId('bulletin-weighted').innerText()).trim(), '100.0%');
      assert.equal((await moved.getByTestId('bulletin-rank').innerText()).trim(), '1');
      await moved.getByText('绿灯').waitFor();
      await page.getByTestId('bulletin-publish').click();
      await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /确\s*定/ }).click();
      await page.getByTestId('bulletin-withdraw').waitFor();
      await screenshot(page, 'targets-bulletin');
      const title = (await page.getByTestId('bulletin-title').innerText()).trim();
      await withPage(browser, 'targets-board', async (board) => {
        // No login: the public board's 图板展示, on this programme's latest published bulletin.
        await board.goto('/board');
        const section = board.getByTestId('target-board');
        await section.getByText('目标责任完成情况').waitFor();
        const heading = section.getByTestId('target-board-bulletin');
        await heading.waitFor();
        if (!(await heading.innerText()).includes(title)) {
          await choose(board, section.getByRole('combobox', { name: '目标方案' }), name);
        }
        await heading.getByText(title).waitFor();
        const unit = section.locator('[data-testid="target-board-unit"][data-unit="小店镇"]');
        await unit.getByText('100.0%').waitFor();
        await unit.getByText('绿灯').waitFor();
        await screenshot(board, 'targets-board');
      });

      // 9. Into the assessment: a rubric with 目标责任完成率 (formula target_completion, max 10) and a cycle hosted by
      // the county over last month with 小店镇 reporting, through the API; its report's assessment card shows 10 points.
      const token = await adminToken();
      const rubric = await api('/rubrics', {
        token,
        method: 'POST',
        body: {
          name: `目标责任考核表（测试${programmeId}）`,
          // A rubric needs a ballot item besides.
          items: [
            { key: 'overall', title: '总体评价', category: '总体评价', source: 'ballot', kind: 'tier', max_points: '90' },
            { key: 'target_rate', title: '目标责任完成率', category: '目标责任', source: 'indicator', max_points: '10', formula: 'target_completion' },
          ],
        },
      });
      assert.equal(rubric.status, 201, JSON.stringify(rubric.data));
      const towns = await api(`/orgs?q=${encodeURIComponent('小店镇')}`, { token });
      const town = towns.data.items.find((org) => org.name === '小店镇');
      const county = (await api(`/orgs?q=${encodeURIComponent('汝阳县委')}`, { token })).data.items.find((org) => org.name === '汝阳县委');
      assert.ok(town && county, 'the demo has 小店镇 and 汝阳县委');
      const cycle = await api('/cycles', {
        token,
        method: 'POST',
        body: { name: `${name}考核`, host_org_id: county.id, period_start: month.start, period_end: month.end, rubric_id: rubric.data.id },
      });
      assert.equal(cycle.status, 201, JSON.stringify(cycle.data));
      const report = await api(`/cycles/${cycle.data.id}/reports`, { token, method: 'POST', body: { org_id: town.id } });
      assert.equal(report.status, 201, JSON.stringify(report.data));
      await page.goto(`/reports/${report.data.id}`);
      const indicator = page.getByTestId('assessment-card').getByTestId('indicator-target_rate');
      await indicator.getByText('目标责任完成率', { exact: true }).waitFor();
      await indicator.getByText('按公式自动计算').waitFor();
      await indicator.getByText('计算方式：目标责任完成率').waitFor();
      assert.equal(Number((await indicator.getByTestId('computed-points').innerText()).trim()), 10, '100 % of 10 points');
      await screenshot(page, 'targets-assessment');
      // The draft report goes again (a cycle cannot be deleted), so later tests see the township's reports as the demo has them.
      assert.equal((await api(`/reports/${report.data.id}`, { token, method: 'DELETE' })).status, 204);
    });
  });
});
