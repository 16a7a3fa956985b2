// The live meeting in a real browser: the host console drives it, a phone (360 px) votes with a one-time QR
// token, the big screen (1920 px) sees the count go up. Skips itself while the server has no meetings API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ADMIN,
  adminToken,
  api,
  BASE_URL,
  findOpenMeeting,
  launchBrowser,
  login,
  newPage,
  openFirstReport,
  screenshot,
  serverHas,
} from './helpers.mjs';

const GROUP = process.env.E2E_TOKEN_GROUP ?? 'deputies';

/** The demo meeting: one not yet ended in a cycle whose groups include GROUP, with its cycle, group and a named evaluator. */
async function findDemoMeeting(token) {
  const found = await findOpenMeeting(token, (cycle) => cycle.groups?.some((g) => g.key === GROUP));
  if (!found) return null;
  const group = found.cycle.groups.find((g) => g.key === GROUP);
  const members = await api(`/cycles/${found.cycle.id}/members`, { token });
  const named = (members.data ?? []).find((m) => m.group_key !== GROUP);
  return { ...found, group, named };
}

/** An ended meeting whose revealed ranking takes more than one page of the screen, with its tally. */
async function findEndedMeeting(token) {
  const cycles = await api('/cycles?limit=500', { token });
  for (const cycle of cycles.data?.items ?? []) {
    const meetings = await api(`/cycles/${cycle.id}/meetings`, { token });
    for (const meeting of meetings.status === 200 ? meetings.data : []) {
      if (meeting.status !== 'ended' || !meeting.screen_key) continue;
      const tally = await api(`/meetings/${meeting.id}/tally?key=${encodeURIComponent(meeting.screen_key)}`);
      if (tally.status !== 200 || !tally.data.scores_visible) continue;
      if (tally.data.reports.filter((report) => report.score != null).length > 7) return { meeting, tally: tally.data };
    }
  }
  return null;
}

let browser;
let skip = false;
let demo = null;

before(async () => {
  if (!(await serverHas('/api/v1/meetings/{meeting_id}/ballots'))) {
    skip = 'the server has no meetings API yet';
    return;
  }
  demo = await findDemoMeeting(await adminToken());
  if (!demo) {
    skip = `the demo data has no open meeting with a "${GROUP}" group`;
    return;
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

describe(`live meeting at ${BASE_URL}`, () => {
  test('host starts the meeting, a phone votes with a QR token, the screen counts it', async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    const { meeting, group } = demo;
    const host = await newPage(browser);
    const screenCtx = await browser.newContext({ baseURL: BASE_URL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1920, height: 1080 } });
    const phoneCtx = await browser.newContext({
      baseURL: BASE_URL,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    for (const context of [screenCtx, phoneCtx]) context.setDefaultTimeout(15_000);
    const screenPage = await screenCtx.newPage();
    const phone = await phoneCtx.newPage();
    const errors = [...host.errors];
    screenPage.on('pageerror', (error) => errors.push(error));
    phone.on('pageerror', (error) => errors.push(error));
    const page = host.page;

    try {
      // The host opens the console and starts the meeting.
      await login(page);
      await page.goto(`/meetings/${meeting.id}`);
      const consoleRoot = page.getByTestId('meeting-console');
      await consoleRoot.waitFor();
      if (await page.getByTestId('start-meeting').isVisible()) await page.getByTestId('start-meeting').click();
      await page.getByTestId('end-meeting').waitFor();

      // The first report on the agenda speaks, and its voting opens.
      const firstRow = page.getByTestId('agenda-table').locator('tbody tr.ant-table-row').first();
      const orgName = (await firstRow.locator('td').nth(1).innerText()).split('\n')[0].trim();
      const speakerButton = firstRow.getByRole('button', { name: /设为当前发言|当前发言/ });
      // Not yet the speaker: click (Playwright waits while the console is busy with the start).
      if ((await speakerButton.innerText()).includes('设为')) await speakerButton.click();
      await firstRow.getByRole('button', { name: /当前发言/ }).and(page.locator('[disabled]')).waitFor();
      const openButton = firstRow.getByRole('button', { name: /开始投票/ });
      if (await openButton.isVisible()) await openButton.click();
      await firstRow.getByRole('button', { name: /结束投票/ }).waitFor();
      await page.getByTestId('console-live').getByText('实时连接正常').waitFor();

      // The big screen opens from the console's link, with its key.
      const screenHref = await page.getByTestId('open-screen').getAttribute('href');
      assert.match(screenHref ?? '', /\/screen\/\d+\?key=/);
      await screenPage.goto(screenHref);
      const current = screenPage.getByTestId('screen-current');
      await current.getByText(orgName, { exact: true }).waitFor();
      await screenPage.getByTestId('screen-connection').getByText('实时', { exact: true }).waitFor();
      const receivedText = async () => (await current.getByTestId(`received-${GROUP}`).innerText()).trim();
      const before = Number((await receivedText()).split('/')[0]);

      // One token for the group, printed as a QR sheet.
      const panel = page.getByTestId('token-panel');
      await panel.locator('.ant-select').first().click();
      await page.locator('.ant-select-item-option', { hasText: group.name }).first().click();
      await panel.getByRole('spinbutton').fill('1');
      await panel.getByTestId('generate-tokens').click();
      const card = page.getByTestId('token-sheet').getByTestId('token-card');
      await card.locator('svg').first().waitFor();
      assert.equal(await card.count(), 1);
      const voteUrl = await card.getAttribute('data-url');
      assert.match(voteUrl ?? '', /\/vote\/[A-Za-z0-9_-]{16,}$/);
      await page.waitForTimeout(400); // the modal's opening animation
      await screenshot(page, 'meeting-console-token-sheet');
      await page.locator('.ant-modal-footer').getByRole('button', { name: /关\s*闭/ }).click();
      await page.getByTestId('token-sheet').waitFor({ state: 'detached' });

      // The phone opens the QR link: its own small page, the open speaker, the ballot.
      await phone.goto(new URL(voteUrl).pathname);
      await phone.getByTestId('current-speaker').getByText(orgName, { exact: true }).waitFor();
      const sheet = phone.getByTestId('ballot-sheet');
      await sheet.waitFor();
      const scripts = await phone.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
      assert.ok(!scripts.some((name) => /\/assets\/(main|table|ErrorResult|echarts)-/.test(name)), `the phone page loads no admin code: ${scripts.join(', ')}`);

      for (const tiers of await sheet.getByRole('radiogroup').all()) await tiers.getByRole('radio').first().click();
      for (const input of await sheet.locator('input.v-score-input').all()) await input.fill('1');
      await screenshot(phone, 'vote-360-ballot');

      // The network drops as the ballot is sent; it is retried with the same key once it is back.
      await phoneCtx.setOffline(true);
      await phone.getByTestId('submit-ballot').click();
      await phone.getByTestId('retrying').waitFor();
      await phoneCtx.setOffline(false);
      const receipt = phone.getByTestId('receipt-code');
      await receipt.waitFor({ timeout: 20_000 });
      assert.match((await receipt.innerText()).trim(), /^[A-Z0-9]{8,}$/);
      await screenshot(phone, 'vote-360-receipt');

      // The screen counts the ballot once.
      await screenPage.waitForFunction(
        ([selector, expected]) => document.querySelector(selector)?.textContent?.trim().startsWith(`${expected} /`),
        [`[data-testid="screen-current"] [data-testid="received-${GROUP}"]`, before + 1],
      );
      await screenshot(screenPage, 'screen-1920');
      await page.waitForTimeout(500);
      assert.equal(Number((await receivedText()).split('/')[0]), before + 1, 'one ballot, counted once');

      // The same token cannot vote twice on this report.
      await phone.reload();
      await phone.getByText('您已为该述职投票。').waitFor();

      // While the report is open for voting the scores cannot be shown: the console says why.
      if (await page.getByTestId('reveal-switch').isChecked()) await page.getByTestId('reveal-switch').click();
      await page.getByTestId('reveal-waits').waitFor();
      await page.getByTestId('reveal-switch').click();
      await page.locator('.ant-message').getByText(`${orgName}正在投票：请先结束投票，再在大屏显示得分`).waitFor();
      assert.equal(await page.getByTestId('reveal-switch').isChecked(), false);
      await screenPage.getByTestId('screen-agenda').waitFor();

      // Voting closes; the host reveals the scores: the screen shows the speaker's score, or says that too few
      // ballots stand behind it (fewer than the cycle's minimum are never shown), and the ranking.
      await firstRow.getByRole('button', { name: /结束投票/ }).click();
      await firstRow.getByRole('button', { name: /开始投票/ }).waitFor();
      await page.getByTestId('reveal-waits').waitFor({ state: 'detached' });
      await page.getByTestId('reveal-switch').click();
      await screenPage.getByTestId('screen-ranking').waitFor();
      await screenPage.getByTestId('screen-score').or(screenPage.getByTestId('screen-score-withheld')).waitFor();
      await screenshot(screenPage, 'screen-1920-revealed');
      await screenshot(page, 'meeting-console');
      await page.getByTestId('reveal-switch').click();
      await screenPage.getByTestId('screen-agenda').waitFor();

      assert.deepEqual(errors.map(String), [], 'uncaught errors in the pages');
    } catch (error) {
      await screenshot(page, 'FAILED-meeting-console').catch(() => {});
      await screenshot(phone, 'FAILED-meeting-phone').catch(() => {});
      await screenshot(screenPage, 'FAILED-meeting-screen').catch(() => {});
      throw error;
    } finally {
      await host.context.close();
      await screenCtx.close();
      await phoneCtx.close();
    }
  });

  test('a named evaluator signs in on the phone page and votes', async (t) => {
    if (skip || !demo?.named) {
      t.skip(skip || 'the demo cycle has no named evaluator');
      return;
    }
    const context = await browser.newContext({
      baseURL: BASE_URL,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    context.setDefaultTimeout(15_000);
    const phone = await context.newPage();
    const errors = [];
    phone.on('pageerror', (error) => errors.push(error));
    try {
      // The meeting must be live with a report open; the first test leaves it so, or the host does it here.
      const token = await adminToken();
      const meetingId = demo.meeting.id;
      const meeting = await openFirstReport(token, meetingId);

      await phone.goto('/vote');
      await phone.getByTestId('vote-sign-in').waitFor();
      await phone.getByLabel('用户名').fill(demo.named.username);
      await phone.getByLabel('密码').fill(ADMIN.password);
      await phone.getByRole('button', { name: '登录' }).click();
      await phone.getByRole('link', { name: new RegExp(meeting.title) }).click();
      const sheet = phone.getByTestId('ballot-sheet').or(phone.getByRole('button', { name: '重新投票' }));
      await sheet.first().waitFor();
      if (await phone.getByRole('button', { name: '重新投票' }).isVisible()) await phone.getByRole('button', { name: '重新投票' }).click();
      await phone.getByText('实名评议', { exact: false }).waitFor();
      const form = phone.getByTestId('ballot-sheet');
      for (const tiers of await form.getByRole('radiogroup').all()) await tiers.getByRole('radio').nth(1).click();
      for (const input of await form.locator('input.v-score-input').all()) await input.fill('2.5');
      await phone.getByTestId('submit-ballot').click();
      await phone.getByTestId('receipt-code').waitFor();
      await screenshot(phone, 'vote-360-named-receipt');
      assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
    } catch (error) {
      await screenshot(phone, 'FAILED-meeting-named').catch(() => {});
      throw error;
    } finally {
      await context.close();
    }
  });

  test('the big screen at 1920×1080 shows an ended meeting as ended, paging its whole final ranking', async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    const ended = await findEndedMeeting(await adminToken());
    if (!ended) {
      t.skip('the demo data has no ended meeting whose ranking takes more than one page');
      return;
    }
    const { meeting, tally } = ended;
    const context = await browser.newContext({ baseURL: BASE_URL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1920, height: 1080 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error));
    try {
      await page.goto(`/screen/${meeting.id}?key=${encodeURIComponent(meeting.screen_key)}`);
      await page.getByTestId('screen-ended').getByText('本次会议已结束').waitFor();
      const current = page.getByTestId('screen-current');
      assert.doesNotMatch(await current.innerText(), /正在述职|述职尚未开始/, 'no stale speaker after the meeting');
      const ranking = page.getByTestId('screen-ranking');
      const pager = ranking.getByTestId('screen-pager');
      const [, pages] = (await pager.innerText()).match(/第 \d+\/(\d+) 页/).map(Number);
      assert.ok(pages >= 2, 'a ranking longer than one page turns its pages');
      const panel = await page.locator('.s-side').boundingBox();
      const seen = new Set();
      for (let n = 1; n <= pages; n += 1) {
        await pager.getByText(`第 ${n}/${pages} 页`).waitFor();
        // Every row of the page is inside the panel, on a 1080-pixel-high screen.
        for (const row of await ranking.getByRole('listitem').all()) {
          const box = await row.boundingBox();
          assert.ok(box && box.y >= panel.y && box.y + box.height <= panel.y + panel.height + 1 && box.y + box.height <= 1080,
            `row ${await row.innerText()} is on screen`);
          seen.add((await row.locator('.s-rank-name').innerText()).trim());
        }
        if (n === 1) await screenshot(page, 'screen-1920-ended');
      }
      const ranked = tally.reports.filter((report) => report.score != null).map((report) => report.org_name);
      assert.deepEqual([...seen].sort(), [...ranked].sort(), 'every ranked unit came on screen');
      assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
    } catch (error) {
      await screenshot(page, 'FAILED-screen-ended').catch(() => {});
      throw error;
    } finally {
      await context.close();
    }
  });
});
