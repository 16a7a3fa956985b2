// Browser test: each role's home page lists its to-dos with the counts the API's own lists give on the
// demo, and each link opens the page that lists them (filtered where the page takes a filter).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BASE_URL, launchBrowser, login, newPage, screenshot } from './helpers.mjs';

const PASSWORD = 'shuping-demo';
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function tokenOf(username) {
  const response = await fetch(`${BASE_URL}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username, password: PASSWORD }),
  });
  assert.equal(response.status, 200, `${username} cannot log in through the API`);
  return (await response.json()).access_token;
}

/** GET a JSON answer of the API as this user. */
async function get(token, path, query = {}) {
  const url = new URL(`${BASE_URL}/api/v1${path}`);
  for (const [key, value] of Object.entries(query)) {
    for (const one of [value].flat()) url.searchParams.append(key, String(one));
  }
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `GET ${url.pathname}${url.search}: ${response.status}`);
  return response.json();
}

/** What each entry should count, from the list endpoints the pages themselves read. */
async function expectedStaff(token, { countyStaff }) {
  const reminders = await get(token, '/ledger/reminders');
  const overdueItems = await get(token, '/ledger/items', { overdue: true, limit: 1 });
  assert.equal(reminders.overdue.length, overdueItems.total, 'the reminders and the filtered list agree');
  const stats = await get(token, '/petitions/stats');
  const cases = await get(token, '/petitions/cases', { overdue: true, limit: 1 });
  assert.equal(stats.total.overdue, cases.total, 'the statistics and the filtered cases agree');
  const notices = await get(token, '/notices');
  const meetings = { live: 0, scheduled: 0 };
  const cycles = await get(token, '/cycles', { limit: 500 });
  for (const cycle of cycles.items ?? cycles) {
    for (const meeting of await get(token, `/cycles/${cycle.id}/meetings`)) {
      if (meeting.status in meetings) meetings[meeting.status] += 1;
    }
  }
  const expected = {
    meetings_live: meetings.live,
    meetings_upcoming: meetings.scheduled,
    ledger_overdue: overdueItems.total,
    ledger_due_soon: reminders.due_soon.length,
    notices_unsigned: notices.filter((n) => n.status === 'issued').length,
    petitions_overdue: cases.total,
  };
  if (countyStaff) {
    let failing = 0;
    for (const kind of ['pull', 'push']) {
      const runs = await get(token, '/petitions/sync/runs', { kind, limit: 1 });
      if (runs.items[0]?.status === 'failed') failing += 1;
    }
    expected.sync_failed = failing;
  }
  return expected;
}

async function countsOnPage(page) {
  await page.getByTestId('home-todo').waitFor();
  const counts = {};
  for (const card of await page.locator('[data-testid^="todo-count-"]').all()) {
    const key = (await card.getAttribute('data-testid')).replace('todo-count-', '');
    counts[key] = Number((await card.innerText()).trim());
  }
  const vote = page.getByTestId('todo-vote_now');
  if (await vote.count()) counts.vote_now = Number(await vote.getAttribute('data-count'));
  return counts;
}

async function withHome(username, name, body) {
  const { context, page, errors } = await newPage(browser);
  try {
    await login(page, { username, password: PASSWORD });
    await body(page);
    assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
  } catch (error) {
    await screenshot(page, `FAILED-home-${name}`).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
}

/** Follow an entry's 查看 link and check where it leads. */
async function follow(page, key, pathname, search = '') {
  await page.goto('/');
  await page.getByTestId(`todo-link-${key}`).click();
  await page.waitForURL((url) => url.pathname === pathname && url.search === search);
}

describe('the home page is a to-do list', () => {
  for (const [username, countyStaff] of [
    ['admin', true],
    ['clerk', true],
  ]) {
    test(`${username}: meetings, reports, ledger, notices, petitions and sync, counted as their lists count`, () =>
      withHome(username, username, async (page) => {
        const token = await tokenOf(username);
        const expected = await expectedStaff(token, { countyStaff });
        const shown = await countsOnPage(page);
        const { reports_to_review: review, ...rest } = shown;
        assert.deepEqual(rest, expected);
        // Reports to review: those submitted in the cycles this user hosts (each cycle's page lists them).
        const submitted = await get(token, '/reports', { status: 'submitted', limit: 1 });
        assert.ok(review <= submitted.total, `reports to review ${review} ≤ submitted ${submitted.total}`);
        assert.ok(expected.ledger_overdue > 0 && expected.petitions_overdue > 0, 'the demo has overdue items and cases');
        await screenshot(page, `home-${username}`);

        await follow(page, 'ledger_overdue', '/ledger', '?overdue=true');
        assert.equal(await page.getByTestId('filter-overdue').getAttribute('aria-checked'), 'true');
        await page.locator('.ant-pagination-total-text').getByText(`共 ${expected.ledger_overdue} 条`).waitFor();

        await follow(page, 'petitions_overdue', '/petitions', '?overdue=true');
        assert.equal(await page.getByTestId('case-overdue').getAttribute('aria-checked'), 'true');
        await page.locator('.ant-pagination-total-text').getByText(`共 ${expected.petitions_overdue} 条`).waitFor();

        await follow(page, 'ledger_due_soon', '/ledger/dashboard');
        await follow(page, 'notices_unsigned', '/notices');
        await follow(page, 'meetings_upcoming', '/meetings');
        if (countyStaff) await follow(page, 'sync_failed', '/petitions/sync');
      }));
  }

  test('a secretary (小店镇): their report, notices to sign, their overdue items', () =>
    withHome('s410326104', 'secretary', async (page) => {
      const token = await tokenOf('s410326104');
      const toWrite = await get(token, '/reports', { status: ['draft', 'returned'], limit: 1 });
      const reports = await get(token, '/reports', { limit: 1 });
      const notices = await get(token, '/notices');
      const reminders = await get(token, '/ledger/reminders');
      const mine = await get(token, '/ledger/items', { mine: true, overdue: true, limit: 1 });
      assert.equal(mine.total, reminders.overdue.length);
      assert.deepEqual(await countsOnPage(page), {
        my_report: toWrite.total,
        notices_to_sign: notices.filter((n) => n.status === 'issued').length,
        ledger_overdue: reminders.overdue.length,
        ledger_due_soon: reminders.due_soon.length,
      });
      const [latest] = reports.items;
      const report = page.getByTestId('todo-my_report').getByRole('link', { name: latest.cycle_name });
      assert.equal(await report.getAttribute('href'), `/reports/${latest.id}`);
      await page.getByTestId('todo-my_report').getByText('已审核').waitFor();
      await screenshot(page, 'home-secretary');
      await report.click();
      await page.waitForURL((url) => url.pathname === `/reports/${latest.id}`);

      await follow(page, 'ledger_overdue', '/ledger/mine', '?overdue=true');
      assert.equal(await page.getByTestId('filter-overdue').getAttribute('aria-checked'), 'true');
      await follow(page, 'notices_to_sign', '/notices');
      await follow(page, 'my_report', '/my-reports');
    }));

  for (const username of ['leader01', 'deputy01']) {
    test(`${username}: the meeting open for voting now (if one is live) and the upcoming ones`, () =>
      withHome(username, username, async (page) => {
        // meeting.test.mjs starts the demo's meeting; whether it ran first or not, the home follows the meetings list.
        const token = await tokenOf(username);
        const meetings = await get(token, '/vote/meetings');
        const live = meetings.filter((m) => m.status === 'live');
        assert.deepEqual(await countsOnPage(page), {
          vote_now: live.length,
          meetings_upcoming: meetings.filter((m) => m.status === 'scheduled').length,
        });
        if (live.length === 0) {
          await page.getByTestId('todo-vote_now').getByText('目前没有正在进行的评议大会', { exact: false }).waitFor();
        }
        for (const meeting of live) {
          const button = page.getByTestId(`todo-vote-${meeting.meeting_id}`);
          assert.equal(await button.getAttribute('href'), `/vote/meeting/${meeting.meeting_id}`);
          await button.getByText('进入投票').waitFor();
        }
        await screenshot(page, `home-${username}`);
        if (live.length > 0) {
          await page.getByTestId(`todo-vote-${live[0].meeting_id}`).click();
          await page.waitForURL((url) => url.pathname === `/vote/meeting/${live[0].meeting_id}`);
        }
        await follow(page, 'meetings_upcoming', '/my-meetings');
      }));
  }

  test('the home page fits a 360 px phone', async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.setViewportSize({ width: 360, height: 740 });
      await login(page, { username: 'clerk', password: PASSWORD });
      await page.getByTestId('home-todo').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
      await screenshot(page, 'home-clerk-360');
    } finally {
      await context.close();
    }
  });
});
