// Printable documents in a real browser: the admin downloads the published county cycle's bulletin (通报) with a
// number of their choosing and an interview record (约谈记录) through the UI; python-docx reads both back. The ranking
// page prints without the app around it, and the public board's QR poster holds the board's address.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { adminToken, api, BASE_URL, launchBrowser, login, withPage } from './helpers.mjs';

const PYTHON = fileURLToPath(new URL('../../.venv/bin/python', import.meta.url));
const READER = fileURLToPath(new URL('./read_docx.py', import.meta.url));
const TIERS = { good: '好', fairly_good: '较好', average: '一般', poor: '较差' };

/** A downloaded .docx as python-docx reads it: its paragraphs and tables. */
async function readDocx(path) {
  const { stdout } = await promisify(execFile)(PYTHON, [READER, path]);
  return JSON.parse(stdout);
}

/** The first cycle with published results and interviews recorded, with both. */
async function publishedCycleWithInterviews(token) {
  const cycles = await api('/cycles?limit=500', { token });
  assert.equal(cycles.status, 200);
  for (const cycle of cycles.data.items) {
    const results = await api(`/cycles/${cycle.id}/results`, { token });
    if (results.status !== 200 || results.data.status !== 'published') continue;
    const interviews = await api(`/cycles/${cycle.id}/interviews`, { token });
    if (interviews.status === 200 && interviews.data.length > 0) return { cycle, results: results.data, interviews: interviews.data };
  }
  return null;
}

let browser;
let target;
let folder;

before(async () => {
  target = await publishedCycleWithInterviews(await adminToken());
  folder = await mkdtemp(join(tmpdir(), 'shuping-documents-'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Click what starts a download and save the file; its path and suggested name. */
async function download(page, click) {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(folder, file.suggestedFilename());
  await file.saveAs(path);
  return { path, name: file.suggestedFilename() };
}

describe(`printable documents at ${BASE_URL}`, () => {
  test('the demo has a published cycle with interviews', () => {
    assert.ok(target, 'the demo’s county cycle is published and has interviews');
  });

  test('the admin downloads bulletin 5 of the published results and it reads back with the ranking', async () => {
    const { cycle, results } = target;
    await withPage(browser, 'documents-bulletin', async (page) => {
      await login(page);
      await page.goto(`/cycles/${cycle.id}/results`);
      await page.getByTestId('ranking-table').locator('tbody tr.ant-table-row').first().waitFor();
      await page.getByTestId('download-bulletin').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('bulletin-number').fill('5');
      const { path, name } = await download(page, () => dialog.getByRole('button', { name: /下\s*载/ }).click());
      assert.match(name, /〔2013〕5号.*\.docx$/);
      const { paragraphs, tables } = await readDocx(path);
      assert.equal(paragraphs[0], '中共汝阳县委组织部', 'the issuing organ’s masthead');
      assert.equal(paragraphs[1], '汝组通〔2013〕5号', 'the number the clerk gave');
      assert.equal(paragraphs[2], `关于${cycle.name}结果的通报`);
      assert.equal(paragraphs.at(-2), '中共汝阳县委组织部', 'signed by the issuing organ');
      const [ranking] = tables;
      assert.deepEqual(ranking[0], ['位次', '单位', '综合得分', '等次', '备注']);
      assert.deepEqual(
        ranking.slice(1).map((row) => row.slice(0, 4)),
        results.items.map((item) => [String(item.rank), item.org_name, item.total, TIERS[item.tier]]),
        'every unit with its rank, total and tier, as the results say',
      );
      const flagged = results.items.filter((item) => item.flagged).map((item) => item.org_name);
      assert.ok(flagged.length > 0);
      assert.deepEqual(
        ranking.slice(1).filter((row) => row[4].includes('需约谈整改')).map((row) => row[1]),
        flagged,
        'the units to be interviewed are marked',
      );
      for (const [tier, label] of Object.entries(TIERS)) {
        const units = results.items.filter((item) => item.tier === tier).map((item) => item.org_name);
        const line = `“${label}”等次（${units.length} 个）：${units.length ? units.join('、') : '无'}。`;
        assert.ok(paragraphs.includes(line), `the units of ${label}: ${line}`);
      }
      for (const org of flagged) assert.ok(paragraphs.some((p) => p.includes(org) && p.includes('约谈')), `${org} to be interviewed`);
    });
  });

  test('the admin downloads an interview record from the interviews page', async () => {
    const { cycle, interviews } = target;
    const interview = interviews[0];
    await withPage(browser, 'documents-interview', async (page) => {
      await login(page);
      await page.goto(`/interviews?cycle=${cycle.id}`);
      const button = page.getByTestId(`interview-document-${interview.id}`);
      const { path } = await download(page, () => button.click());
      const { paragraphs, tables } = await readDocx(path);
      assert.equal(paragraphs[2], '约谈记录');
      const record = Object.fromEntries(tables[0].slice(1).map(([label, value]) => [label, value]));
      assert.ok(record['约谈对象'].startsWith(`${interview.org_name}党组织书记`), record['约谈对象']);
      assert.equal(record['约谈人'], interview.led_by);
      assert.match(record['约谈时间'], /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）$/);
      const held = new Date(interview.held_at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
      assert.ok(record['约谈时间'].includes(held), `${record['约谈时间']} is ${held} in Beijing`);
      const item = target.results.items.find((i) => i.report_id === interview.report_id);
      assert.ok(record['约谈事由'].includes(`位次第 ${item.rank} 名`), record['约谈事由']);
    });
  });

  test('the ranking page prints without the app around it', async () => {
    const { cycle } = target;
    await withPage(browser, 'documents-print', async (page) => {
      await login(page);
      await page.goto(`/cycles/${cycle.id}/results`);
      await page.getByTestId('ranking-table').locator('tbody tr.ant-table-row').first().waitFor();
      assert.equal(await page.getByTestId('print-title').isVisible(), false, 'the title line is for paper only');
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.getByTestId('side-menu').isVisible(), false, 'no menu');
      assert.equal(await page.getByTestId('logout').isVisible(), false, 'no header');
      assert.equal(await page.getByTestId('download-bulletin').isVisible(), false, 'no buttons');
      assert.equal(await page.getByTestId('print-title').isVisible(), true);
      assert.match(await page.getByTestId('print-title').innerText(), new RegExp(`${cycle.name}综合评价结果`));
      assert.equal(await page.getByTestId('ranking-table').isVisible(), true);
      assert.equal(await page.getByTestId('tier-chart-card').isVisible(), true);
      const pdf = await page.pdf({ format: 'A4', landscape: true });
      assert.ok(pdf.length > 10_000, 'it prints');
    });
  });

  test('the results page links the public board, and the poster carries its QR code', async () => {
    const { cycle } = target;
    await withPage(browser, 'documents-poster', async (page) => {
      await login(page);
      await page.goto(`/cycles/${cycle.id}/results`);
      assert.equal(await page.getByTestId('board-link').getAttribute('href'), '/board');
      await page.getByTestId('board-poster-link').click();
      await page.waitForURL('**/board/poster');
      assert.equal(await page.getByTestId('board-poster-title').innerText(), '述职评议意见整改进度公示');
      const qr = page.getByTestId('board-qr');
      assert.equal(await qr.getAttribute('data-url'), `${BASE_URL}/board`);
      assert.equal(await qr.locator('svg').count(), 1);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.getByTestId('print-poster').isVisible(), false, 'the buttons stay off the paper');
      await page.goto('/ledger/dashboard');
      assert.equal(await page.getByTestId('board-link').getAttribute('href'), '/board');
    });
  });
});
