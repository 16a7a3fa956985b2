// Shared setup for the browser tests: Debian's Chromium driven by playwright-core, against the
// server scripts/e2e.sh starts (BASE_URL) on a fresh demo database.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8000';
export const PASSWORD = 'shuping-demo';
const SCREENSHOTS = new URL('./screenshots/', import.meta.url);

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'shuping-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  return context;
}

/** Log in through the login page and wait for the signed-in frame. */
export async function login(context, username) {
  const page = await context.newPage();
  await page.goto(`${BASE_URL}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}
