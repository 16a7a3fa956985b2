// Browser test: the admin opens the video reception calendar (接访日历) and finds the demo's receptions,
// by month and by week, each with its masked petitioner, township, leader, place and state, in Beijing time.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { adminToken, api, launchBrowser, login, newPage, screenshot } from './helpers.mjs';

const STATUS = { booked: '已预约', held: '已接访', missed: '未到', cancelled: '已取消' };

let browser;
let receptions;

/** A Beijing date (YYYY-MM-DD) and time (HH:mm) of a UTC instant. */
function beijing(iso) {
  const shifted = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return { day: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}

/** Move the week view to the week holding a Beijing day (YYYY-MM-DD), from today's week. */
async function showWeekOf(page, day) {
  await page.getByRole('button', { name: /今\s*天/ }).click();
  for (let i = 0; i < 8; i += 1) {
    const heading = await page.getByTestId('calendar-heading').innerText();
    const [from, to] = heading.split(' 至 ').map((d) => d.trim());
    if (from <= day && day <= to) return;
    await page.getByRole('button', { name: day < from ? '上一周' : '下一周' }).click();
    await page.getByTestId('calendar-heading').filter({ hasNotText: heading }).waitFor();
  }
  throw new Error(`no week view reaches ${day}`);
}

before(async () => {
  browser = await launchBrowser();
  const token = await adminToken();
  const { status, data } = await api('/petitions/appointments?limit=500', { token });
  assert.equal(status, 200);
  receptions = data.items;
  assert.ok(receptions.length >= 8, 'the demo has video receptions');
});

after(async () => {
  await browser?.close();
});

test('the reception calendar shows the demo appointments by month and by week', async () => {
  const { context, page, errors } = await newPage(browser);
  await login(page);
  await page.getByRole('link', { name: '接访日历' }).click();
  await page.getByRole('heading', { name: '视频接访日历' }).waitFor();
  await page.getByTestId('reception-month').waitFor();

  // This month's receptions each mark their day in the month.
  const todayBeijing = beijing(new Date().toISOString()).day;
  const thisMonth = receptions.filter((a) => beijing(a.starts_at).day.slice(0, 7) === todayBeijing.slice(0, 7));
  assert.ok(thisMonth.length > 0 || receptions.length > 0);
  for (const a of thisMonth) {
    const cell = page.getByTestId(`day-${beijing(a.starts_at).day}`);
    await cell.waitFor();
    assert.match(await cell.innerText(), new RegExp(beijing(a.starts_at).time));
  }
  await screenshot(page, 'reception-month');

  // Each state: a reception in it, found in its week with who, which leader, where and its state.
  await page.getByText('周视图').click();
  await page.getByTestId('reception-week').waitFor();
  const states = new Set(receptions.map((a) => a.status));
  assert.deepEqual([...states].sort(), ['booked', 'cancelled', 'held', 'missed']);
  for (const status of Object.keys(STATUS)) {
    const a = receptions.filter((r) => r.status === status).sort((x, y) => x.starts_at.localeCompare(y.starts_at))[0];
    await showWeekOf(page, beijing(a.starts_at).day);
    const item = page.getByTestId('reception').filter({ hasText: a.case_external_id });
    await item.waitFor();
    const text = await item.innerText();
    assert.match(text, new RegExp(beijing(a.starts_at).time));
    assert.ok(a.petitioner_name.includes('*'), 'the petitioner is masked');
    assert.ok(text.includes(`信访人：${a.petitioner_name}`), text);
    assert.ok(text.includes(`乡镇：${a.org.name}`), text);
    assert.ok(text.includes(`接访领导：${a.leader_name}`), text);
    assert.ok(text.includes(`地点：${a.location}`), text);
    assert.ok(text.includes(STATUS[status]), text);
    if (status === 'booked') await screenshot(page, 'reception-week');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the statistics page shows the measures per township with a totals row', async () => {
  const { context, page, errors } = await newPage(browser);
  await login(page);
  await page.goto('/petitions/stats');
  await page.getByTestId('stats-total-row').waitFor();
  await page.getByTestId('stats-all').click();
  await page.getByTestId('stats-showing').getByText('统计期间：全部（截至今天）').waitFor();
  assert.match(await page.getByTestId('stat-accepted').innerText(), /346/);
  assert.match(await page.getByTestId('stats-total-row').innerText(), /合计\s+346/);
  for (const name of ['及时受理率', '按期办结率', '群众满意率', '参评率']) {
    assert.match(await page.getByTestId('stats-totals').innerText(), new RegExp(name));
  }
  // Every township with closed cases has a satisfaction rate (the demo rates most closed cases).
  const rated = await page.getByTestId('stats-table').locator('tbody tr.ant-table-row').evaluateAll((rows) =>
    rows.filter((row) => /\d+\.\d%\s*\d+ \/ \d+ 件\s*\d+\.\d%\s*\d+ \/ \d+ 件\s*$/.test(row.innerText)).length,
  );
  assert.ok(rated >= 10, `townships with a satisfaction and a rating rate: ${rated}`);
  await screenshot(page, 'petition-measures');
  assert.deepEqual(errors, []);
  await context.close();
});
