// Paper ballots in a real browser: two clerks (admin, clerk) each enter the same sheet on /meetings/:id/paper with
// one difference, the reconciliation shows it, the second clerk corrects their entry in place, the agreeing sheets
// are counted after a confirmation, and the meeting's tally (what the big screen reads) counts the sheet.
// Independent of meeting.test.mjs: it starts the demo's open meeting itself when that has not run.
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
  screenshot,
  serverHas,
  tokenFor,
} from './helpers.mjs';

const CLERK = { username: process.env.E2E_CLERK ?? 'clerk', password: ADMIN.password };

/**
 * The second clerk: `clerk` when they host the meeting. The demo's `clerk` works in the county's organisation
 * department, which does not manage a cycle a township hosts (DESIGN §8); then a clerk of the host township, made
 * by the admin through the users API on the first run and signed in as on every later one.
 */
async function secondClerk(token, meeting, cycle) {
  const clerkToken = await tokenFor(CLERK);
  const probe = await api(`/meetings/${meeting.id}/paper-ballots/form`, { token: clerkToken });
  if (probe.status === 200) return { account: CLERK, token: clerkToken };
  const account = { username: `c${cycle.host_org.code}`, password: ADMIN.password };
  let own = await tokenFor(account).catch(() => null);
  if (!own) {
    const body = { ...account, full_name: `${cycle.host_org.name}党建办干事`, role: 'clerk', org_id: cycle.host_org.id };
    const made = await api('/users', { token, method: 'POST', body });
    assert.equal(made.status, 201, JSON.stringify(made.data));
    own = await tokenFor(account);
  }
  return { account, token: own };
}

let browser;
let skip = false;
let demo = null;
let clerk = null;

before(async () => {
  if (!(await serverHas('/api/v1/meetings/{meeting_id}/paper-ballots/form'))) {
    skip = 'the server has no paper ballots form yet';
    return;
  }
  const token = await adminToken();
  demo = await findOpenMeeting(token, (cycle) => cycle.groups?.length > 0);
  if (!demo) {
    skip = 'the demo data has no open meeting';
    return;
  }
  // Paper sheets are entered once the meeting has started; start it unless meeting.test.mjs did.
  if (demo.meeting.status === 'scheduled') {
    const started = await api(`/meetings/${demo.meeting.id}/start`, { token, method: 'POST' });
    assert.equal(started.status, 200, JSON.stringify(started.data));
    demo.meeting = started.data;
  }
  clerk = await secondClerk(token, demo.meeting, demo.cycle);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Enter one sheet through the keyboard-first form: report and group chosen up front, then Enter from field to field. */
async function enterSheet(page, { entryLabel, report, group, sheetNo, answers }) {
  await page.getByTestId('paper-entry').getByText(entryLabel, { exact: true }).click();
  await page.getByTestId('paper-doing').getByText(`您正在进行${entryLabel}`).waitFor();
  await page.getByTestId('paper-report').click();
  await page.keyboard.type(report.org_name);
  await page.locator('.ant-select-item-option', { hasText: report.org_name }).first().click();
  await page.getByTestId('paper-group').click();
  await page.locator('.ant-select-item-option', { hasText: group.name }).first().click();
  const number = page.getByTestId('paper-sheet-no');
  await number.click();
  await number.fill(sheetNo);
  await page.keyboard.press('Enter');
  for (const { item, value } of answers) {
    const field = page.getByTestId(`paper-item-${item.key}`);
    await assertFocused(field, item.title);
    // A tier is a key 1–4 and moves on by itself; a score is typed and Enter moves on.
    if (item.kind === 'tier') await page.keyboard.press(String(value));
    else {
      await page.keyboard.type(String(value));
      await page.keyboard.press('Enter');
    }
  }
  await assertFocused(page.getByTestId('paper-comment'), 'comment');
  await page.keyboard.press('Enter');
  await page.locator('.ant-message').getByText(`第 ${sheetNo} 号票已保存（${entryLabel}）`).waitFor();
}

async function assertFocused(locator, name) {
  await locator.evaluate((element, label) => {
    if (document.activeElement !== element) throw new Error(`focus is not on ${label} but on ${document.activeElement?.outerHTML.slice(0, 120)}`);
  }, name);
}

/** A CSV file of sheets as a clerk saves one from Excel: items headed by their titles, groups by name. */
function sheetsCsv(form, rows) {
  const header = ['票号', '报告ID', '评议组', ...form.items.map((item) => item.title)];
  return [header, ...rows].map((row) => row.join(',')).join('\r\n') + '\r\n';
}

describe(`paper ballots at ${BASE_URL}`, () => {
  test('two clerks enter a sheet, reconcile a difference, the second corrects, the sheet is counted in the tally', async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    const { meeting } = demo;
    const adminApi = await adminToken();
    const clerkApi = clerk.token;
    const form = await api(`/meetings/${meeting.id}/paper-ballots/form`, { token: clerkApi });
    assert.equal(form.status, 200, `the clerk hosts the demo meeting: ${JSON.stringify(form.data)}`);
    const report = form.data.reports[0];
    const group = form.data.groups.find((g) => g.key === 'members') ?? form.data.groups[0];
    const items = form.data.items;
    assert.ok(items.length > 0, 'the rubric has ballot items');

    // One sheet, one difference: the second clerk misreads the first item.
    const sheetNo = `E2E${Date.now() % 1_000_000_000}`;
    const first = items.map((item) => ({ item, value: item.kind === 'tier' ? 2 : Math.min(Number(item.max_points), Math.max(1, Math.floor(Number(item.max_points) * 0.8))) }));
    const differs = first[0].item.kind === 'tier' ? 3 : first[0].value - 1;
    const second = first.map((answer, i) => (i === 0 ? { ...answer, value: differs } : answer));
    const field = `items.${first[0].item.key}`;

    const tallyUrl = `/meetings/${meeting.id}/tally?key=${encodeURIComponent(meeting.screen_key ?? '')}`;
    const received = async () => {
      const tally = await api(meeting.screen_key ? tallyUrl : `/meetings/${meeting.id}/tally`, { token: meeting.screen_key ? undefined : adminApi });
      assert.equal(tally.status, 200);
      const row = tally.data.reports.find((r) => r.report_id === report.report_id);
      return row.groups.find((g) => g.key === group.key).received;
    };
    const before = await received();

    const adminPage = await newPage(browser);
    const clerkPage = await newPage(browser);
    try {
      // The admin opens the paper page from the meeting console and makes the first entry.
      await login(adminPage.page);
      await adminPage.page.goto(`/meetings/${meeting.id}`);
      await adminPage.page.getByTestId('open-paper').click();
      await adminPage.page.getByTestId('paper-page').waitFor();
      assert.match(adminPage.page.url(), new RegExp(`/meetings/${meeting.id}/paper$`));
      await enterSheet(adminPage.page, { entryLabel: '第一遍录入', report, group, sheetNo, answers: first });
      await screenshot(adminPage.page, 'paper-first-entry');

      // The clerk makes the second entry, with one difference.
      await login(clerkPage.page, clerk.account);
      await clerkPage.page.goto(`/meetings/${meeting.id}/paper`);
      await clerkPage.page.getByTestId('paper-page').waitFor();
      await enterSheet(clerkPage.page, { entryLabel: '第二遍录入', report, group, sheetNo, answers: second });

      // The reconciliation lists the difference: entry 1 beside entry 2.
      await clerkPage.page.getByTestId('paper-tab-reconcile').click();
      const disputed = clerkPage.page.getByTestId(`paper-disputed-${sheetNo}`);
      await disputed.waitFor();
      const firstShown = (await disputed.getByTestId(`paper-first-${sheetNo}-${field}`).innerText()).trim();
      const fix = disputed.getByTestId(`paper-fix-${sheetNo}-${field}`);
      await screenshot(clerkPage.page, 'paper-reconciliation');
      if (first[0].item.kind === 'tier') {
        assert.equal(firstShown, '较好');
        await fix.click();
        await clerkPage.page.locator('.ant-select-item-option', { hasText: /^较好$/ }).first().click();
      } else {
        assert.equal(firstShown, String(first[0].value));
        assert.equal(await fix.inputValue(), String(differs));
        await fix.fill(String(first[0].value));
      }
      // The second clerk corrects their entry in place; the sheet agrees.
      await disputed.getByTestId(`paper-correct-${sheetNo}`).click();
      await clerkPage.page.locator('.ant-message').getByText(`第 ${sheetNo} 号票的第二遍已更正`).waitFor();
      await disputed.waitFor({ state: 'detached' });

      // Counting says how many sheets it will count, then counts them.
      const rec = await api(`/meetings/${meeting.id}/paper-ballots/reconciliation`, { token: clerkApi });
      assert.ok(!rec.data.disputed.some((p) => p.sheet_no === sheetNo));
      const toCount = rec.data.matched;
      assert.ok(toCount >= 1);
      await clerkPage.page.getByTestId('paper-commit').click();
      await clerkPage.page.getByTestId('paper-commit-confirm').getByText(`将计入 ${toCount} 张两遍录入一致的选票`).waitFor();
      await clerkPage.page.getByTestId('paper-commit-ok').click();
      await clerkPage.page.locator('.ant-message').getByText(`已计入 ${toCount} 张选票`).waitFor();
      await screenshot(clerkPage.page, 'paper-counted');

      // The tally the big screen reads counts the sheet.
      const after = await api(`/meetings/${meeting.id}/paper-ballots/reconciliation`, { token: clerkApi });
      assert.equal(after.data.matched, 0);
      assert.ok((await received()) >= before + 1, 'the committed paper sheet is in the meeting tally');
      assert.deepEqual([...adminPage.errors, ...clerkPage.errors], []);
    } finally {
      await adminPage.context.close();
      await clerkPage.context.close();
    }
  });

  test('a file of sheets is checked by a dry run that names each wrong row, then imported, with the upload shown', async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    const { meeting } = demo;
    const form = (await api(`/meetings/${meeting.id}/paper-ballots/form`, { token: await adminToken() })).data;
    const report = form.reports[0];
    const group = form.groups.find((g) => g.key === 'members') ?? form.groups[0];
    const answer = (item) => (item.kind === 'tier' ? '较好' : String(Math.floor(Number(item.max_points) / 2)));
    const base = `F${Date.now() % 1_000_000_000}`;
    const good = form.items.map(answer);
    const wrong = form.items.map((item, i) => (i === 0 ? (item.kind === 'tier' ? '很好' : 'abc') : answer(item)));
    const { context, page, errors } = await newPage(browser);
    try {
      await login(page);
      await page.goto(`/meetings/${meeting.id}/paper`);
      await page.getByTestId('paper-entry').getByText('第一遍录入', { exact: true }).click();
      await page.getByTestId('paper-tab-import').click();
      const wizard = page.getByTestId('paper-import-wizard');
      await wizard.waitFor();

      // A row that cannot be read: the dry run lists it by row and column, and offers nothing to import.
      const bad = sheetsCsv(form, [
        [`${base}-1`, report.report_id, group.name, ...good],
        [`${base}-2`, report.report_id, group.name, ...wrong],
      ]);
      await wizard.locator('input[type="file"]').setInputFiles({ name: '纸质票.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      await page.getByTestId('paper-import-failed').waitFor();
      const errorRows = page.getByTestId('paper-import-errors').locator('tbody tr.ant-table-row');
      assert.equal(await errorRows.count(), 1);
      assert.match(await errorRows.first().innerText(), new RegExp(`^3\\s+${form.items[0].title}`));
      assert.equal(await page.getByTestId('paper-import-apply').count(), 0);
      await screenshot(page, 'paper-import-dry-run');

      // The corrected file passes the dry run, which stores nothing, and is then imported.
      const before = (await api(`/meetings/${meeting.id}/paper-ballots/reconciliation`, { token: await adminToken() })).data;
      const fixed = sheetsCsv(form, [
        [`${base}-1`, report.report_id, group.name, ...good],
        [`${base}-2`, report.report_id, group.name, ...good],
      ]);
      await wizard.locator('input[type="file"]').setInputFiles({ name: '纸质票.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
      await page.getByTestId('paper-import-checked').getByText('检查通过：将存入 2 张（新增 2 张，替换 0 张），尚未存入任何数据').waitFor();
      const checked = (await api(`/meetings/${meeting.id}/paper-ballots/reconciliation`, { token: await adminToken() })).data;
      assert.deepEqual(checked.only_in_first, before.only_in_first, 'the dry run stored nothing');
      await page.getByTestId('paper-import-apply').click();
      await page.getByTestId('paper-import-done').getByText('已存入 2 张（第一遍录入）').waitFor();
      const after = (await api(`/meetings/${meeting.id}/paper-ballots/reconciliation`, { token: await adminToken() })).data;
      assert.ok(after.only_in_first.includes(`${base}-1`) && after.only_in_first.includes(`${base}-2`));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
