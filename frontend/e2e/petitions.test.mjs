// Browser test: an admin logs in and opens the petitions statistics page (demo county: 346 / 210 / 136).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8000';
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

// playwright gives every launch a fresh throwaway profile (it refuses --user-data-dir here).
let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
});

async function login(page, username) {
  await page.goto(`${BASE_URL}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('shuping-demo');
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('welcome').waitFor();
}

test('admin opens the petitions statistics page and sees 346 / 210 / 136', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await login(page, 'admin');
  await page.getByRole('link', { name: '信访统计' }).click();
  await page.getByTestId('stats-totals').waitFor();
  await page.getByTestId('stats-all').click(); // the page opens on this year; the demo's 346 span 2013 to now
  await page.getByTestId('stats-showing').getByText('统计期间：全部（截至今天）').waitFor();
  assert.match(await page.getByTestId('stat-accepted').innerText(), /346/);
  assert.match(await page.getByTestId('stat-resolved').innerText(), /210/);
  assert.match(await page.getByTestId('stat-assigned_or_transferred').innerText(), /136/);
  await page.getByTestId('grouped-bar-chart').waitFor();
  // The demo county's 14 townships have cases; the Luolong demo's units (no petition data) are listed with none.
  const accepted = () =>
    page.getByTestId('stats-table').locator('tbody tr.ant-table-row').evaluateAll((rows) => rows.map((row) => Number(row.querySelectorAll('td')[1].textContent)));
  assert.equal((await accepted()).filter((count) => count > 0).length, 14);
  await page.screenshot({ path: join(SHOTS, 'petition-stats.png'), fullPage: true });

  await page.getByText('按县直部门').click();
  await page.getByTestId('stats-table').getByText('县信访局').waitFor();
  assert.equal((await accepted()).filter((count) => count > 0).length, 40);
  await page.close();
});

test('a clerk finds an overdue case and opens its history', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await login(page, 'clerk');
  await page.getByRole('link', { name: '信访案件' }).click();
  await page.getByTestId('case-table').locator('tbody tr.ant-table-row').first().waitFor();
  await page.getByTestId('case-overdue').click();
  await page.getByTestId('case-table').getByText('超期').first().waitFor();
  await page.getByTestId('case-table').locator('tbody tr.ant-table-row a').first().click();
  await page.getByTestId('case-title').waitFor();
  await page.getByTestId('case-timeline').getByText('登记').waitFor();
  await page.screenshot({ path: join(SHOTS, 'petition-case.png'), fullPage: true });
  await page.close();
});
