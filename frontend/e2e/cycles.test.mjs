import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';

import { BASE_URL, launch, login, screenshot } from './session-helpers.mjs';

const DEMO_CYCLE = '2013年上半年乡镇党委书记抓基层党建述职评议';

// Each test has its own browser profile, so sessions never leak between users.
let context;
beforeEach(async () => {
  context = await launch();
});
afterEach(async () => {
  await context?.close();
});

test('the admin opens the demo cycle and sees its 14 reports and the stages', async () => {
  const page = await login(context, 'admin');
  await page.getByTestId('side-menu').getByRole('link', { name: '述职评议' }).click();
  await page.getByTestId('cycle-table').getByRole('link', { name: DEMO_CYCLE }).click();
  await page.getByTestId('cycle-name').waitFor();
  assert.equal(await page.getByTestId('cycle-name').textContent(), DEMO_CYCLE);

  const steps = page.getByTestId('stage-steps');
  await steps.waitFor();
  for (const stage of ['述前准备', '述职评议', '综合评价', '述后整改', '已结束']) {
    assert.equal(await steps.getByText(stage, { exact: true }).count(), 1, stage);
  }
  // The demo cycle has been evaluated and published; it stands in rectification (述后整改).
  assert.match(await steps.locator('.ant-steps-item-process').textContent(), /述后整改/);

  const rows = page.getByTestId('report-table').locator('tbody tr.ant-table-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 14);
  assert.equal(await page.getByTestId('report-table').getByText('小店镇', { exact: true }).count(), 1);
  await screenshot(page, 'cycle-admin');

  await page.getByRole('tab', { name: '评议组' }).click();
  const sum = page.getByTestId('weight-sum');
  await sum.waitFor();
  assert.match(await sum.textContent(), /权重合计 1/);
  await screenshot(page, 'cycle-groups');
  await page.close();
});

test('a secretary opens their own report', async () => {
  const page = await login(context, 's410326104');
  await page.getByTestId('side-menu').getByRole('link', { name: '我的述职报告' }).click();
  const mine = page.getByTestId('my-reports');
  await mine.locator('tbody tr.ant-table-row').first().waitFor();
  assert.equal(await mine.locator('tbody tr.ant-table-row').count(), 1);
  await mine.getByRole('link', { name: /小店镇/ }).click();
  await page.getByTestId('report-title').waitFor();
  assert.equal(await page.getByTestId('report-title').textContent(), '小店镇党委书记抓基层党建工作述职报告');
  const view = page.getByTestId('report-view');
  await view.waitFor();
  assert.match(await view.textContent(), /一、履行第一责任人职责情况/);
  assert.match(await view.textContent(), /已审核/);
  await screenshot(page, 'report-secretary');

  // Another township's report is not theirs to read.
  const other = await page.evaluate(async (base) => {
    const tokens = JSON.parse(localStorage.getItem('shuping.tokens') ?? '{}');
    const headers = { Authorization: `Bearer ${tokens.accessToken}` };
    const list = await fetch(`${base}/api/v1/reports`, { headers }).then((r) => r.json());
    const ownId = list.items[0].id;
    const r = await fetch(`${base}/api/v1/reports/${ownId + 1}`, { headers });
    return r.status;
  }, BASE_URL);
  assert.equal(other, 403);
  await page.close();
});
