// Shared set-up for the browser tests: Debian's Chromium via playwright-core (no browser download).
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8765').replace(/\/$/, '');
export const ADMIN = { username: process.env.E2E_USERNAME ?? 'admin', password: process.env.E2E_PASSWORD ?? 'shuping-demo' };
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launch Chromium; playwright gives each launch a fresh temporary profile. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** A fresh, isolated browser context (own localStorage) with a page in Beijing time. */
export async function newPage(browser, { locale = 'zh-CN' } = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale,
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  return { context, page, errors };
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Log in through the real login page and wait for the home page. */
export async function login(page, { username = ADMIN.username, password = ADMIN.password } = {}) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('welcome').waitFor();
}

/** A JSON request to the API: `{ status, data }`. */
export async function api(path, { token, method = 'GET', body } = {}) {
  const response = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, data: text ? JSON.parse(text) : null };
}

/** A person's access token, through the API's password login. */
export async function tokenFor({ username, password }) {
  const response = await fetch(`${BASE_URL}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username, password }),
  });
  if (response.status !== 200) throw new Error(`${username} cannot log in through the API (${response.status})`);
  return (await response.json()).access_token;
}

/** The admin's access token. */
export function adminToken() {
  return tokenFor(ADMIN);
}

/** Whether the server's API documents `path` (e.g. '/api/v1/meetings/{meeting_id}/ballots'): tests of a part not built yet skip. */
export async function serverHas(path) {
  try {
    const response = await fetch(`${BASE_URL}/api/v1/openapi.json`);
    return response.ok && Boolean((await response.json()).paths?.[path]);
  } catch {
    return false;
  }
}

/** The first meeting not yet ended whose cycle `accepts` (given the cycle's detail), with that cycle; else null. */
export async function findOpenMeeting(token, accepts = () => true) {
  const cycles = await api('/cycles?limit=500', { token });
  if (cycles.status !== 200) throw new Error(`the cycles cannot be listed (${cycles.status})`);
  for (const cycle of cycles.data.items) {
    const meetings = await api(`/cycles/${cycle.id}/meetings`, { token });
    if (meetings.status !== 200) continue;
    const open = meetings.data.find((m) => m.status !== 'ended');
    if (!open) continue;
    const detail = await api(`/cycles/${cycle.id}`, { token });
    if (detail.data && accepts(detail.data)) return { meeting: open, cycle: detail.data };
  }
  return null;
}

/** Make a meeting live with its first report speaking and open for voting, as in the hall; answers the meeting. */
export async function openFirstReport(token, meetingId) {
  let meeting = (await api(`/meetings/${meetingId}`, { token })).data;
  if (meeting.status === 'scheduled') meeting = (await api(`/meetings/${meetingId}/start`, { token, method: 'POST' })).data;
  const first = meeting.agenda[0];
  if (meeting.current_report_id !== first.report_id) {
    await api(`/meetings/${meetingId}/speaker`, { token, method: 'POST', body: { report_id: first.report_id } });
  }
  if (first.voting !== 'open') {
    await api(`/meetings/${meetingId}/reports/${first.report_id}/voting`, { token, method: 'POST', body: { open: true } });
  }
  return (await api(`/meetings/${meetingId}`, { token })).data;
}

/**
 * Run a test body on a fresh page of `browser`, failing on uncaught page errors and keeping a screenshot
 * (FAILED-<name>.png) when it fails.
 */
export async function withPage(browser, name, body, options) {
  const { context, page, errors } = await newPage(browser, options);
  try {
    await body(page);
    if (errors.length > 0) throw new Error(`uncaught errors in the page: ${errors.map(String).join('; ')}`);
  } catch (error) {
    await screenshot(page, `FAILED-${name}`).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
}
