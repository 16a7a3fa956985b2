// Every page a person reaches from the menu, in Chinese, as the admin, a clerk, a township secretary, a leader and
// a deputy would see it at 1366 px and on a 360 px phone, plus the big screen at 1920×1080 and the phone ballot
// page: no visible run of Latin letters outside a short allow-list, no internal key (`ledger_item`, `auth.login`,
// `deputies`), nothing wider than the screen. Every page's screenshot is kept (e2e/screenshots/walk-*), the CI's
// artefacts. Demo data; the only change it makes is to open voting on the demo's meeting, as the meeting test does.
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { ADMIN, BASE_URL, adminToken, api, launchBrowser, login, newPage, openFirstReport, screenshot } from './helpers.mjs';

const PEOPLE = ['admin', 'clerk', 's410326104', 'leader01', 'deputy01'];

/**
 * Latin words a Chinese reader may meet: formats, brands and abbreviations people say as they are, the language
 * switch and the demo's login names (a person's own name for signing in). Words with a digit are identifiers
 * people copy rather than read — organisation codes (410326-D01), Sunshine case numbers (YGXF-…-0211), audit
 * hashes, secretaries' login names (s410326104) — and pass.
 */
const ALLOWED = [
  /^(QR|Excel|Word|PDF|CSV|PPTX|DOCX|XLSX|PNG|JPG|JPEG|English|KB|MB|GB|ID|URL|API|CPU)$/i,
  /^(admin|clerk|integration)$/, // demo login names
  /\d/, // identifiers
];

/** A programmer's word: snake_case, a dotted action, a colon-joined reason. */
const INTERNAL_KEY = /^[a-z]+(?:[_.:][a-z]+)+$/;

let browser;

const SCREENSHOTS = new URL('./screenshots/', import.meta.url);

before(async () => {
  // This walk's screenshots are the pages as they are now: none kept from an earlier run.
  const kept = await readdir(SCREENSHOTS).catch(() => []);
  await Promise.all(kept.filter((name) => /^(FAILED-)?walk-/.test(name)).map((name) => rm(new URL(name, SCREENSHOTS))));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * What a reader sees that does not belong on a Chinese page: Latin words outside the allow-list (with the element
 * they are in) and the page's overflow. Hidden text (closed drawers, off-screen menus) is not read.
 */
function readPage(page) {
  return page.evaluate(
    ({ allowed, internal }) => {
      const allow = allowed.map((source) => new RegExp(source.source, source.flags));
      const key = new RegExp(internal.source, internal.flags);
      const visible = (element) => {
        if (!element || !element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
      };
      const found = [];
      const read = (text, element) => {
        for (const word of text.match(/[A-Za-z0-9][A-Za-z0-9_.:-]*[A-Za-z0-9]|[A-Za-z]/g) ?? []) {
          const bare = word.replace(/[.:-]+$/, '');
          if (!/[A-Za-z]/.test(bare)) continue; // figures, dates and times
          if (allow.some((pattern) => pattern.test(bare))) continue;
          const where = element.closest('[data-testid]')?.getAttribute('data-testid') ?? element.tagName.toLowerCase();
          found.push(`${key.test(bare) ? 'key' : 'latin'} "${bare}" in ${where}: ${text.trim().slice(0, 80)}`);
        }
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) =>
          node.parentElement && !node.parentElement.closest('script, style, noscript') && node.textContent.trim()
            ? NodeFilter.FILTER_ACCEPT
            : NodeFilter.FILTER_REJECT,
      });
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (visible(node.parentElement)) read(node.textContent, node.parentElement);
      }
      for (const input of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
        if (visible(input)) read(input.placeholder, input);
      }
      return {
        links: [...new Set([...document.querySelectorAll('a[href^="/"]')].map((anchor) => anchor.pathname))],
        words: [...new Set(found)],
        width: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      };
    },
    { allowed: ALLOWED.map(({ source, flags }) => ({ source, flags })), internal: { source: INTERNAL_KEY.source, flags: '' } },
  );
}

/** Let a page finish loading: its requests, then the tables and charts that lay themselves out after their data. */
async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(250);
}

/** Pages opened from a list (the first of each kind a person's menu pages link to), read as the menu pages are. */
const DETAILS = [
  /^\/cycles\/\d+$/,
  /^\/cycles\/\d+\/results$/,
  /^\/meetings\/\d+$/,
  /^\/rubrics\/\d+$/,
  /^\/reports\/\d+$/,
  /^\/ledger\/items\/\d+$/,
  /^\/petitions\/cases\/\d+$/,
  /^\/targets\/programmes\/\d+$/,
];

/** Check the page as it is now; returns the faults found, after keeping a screenshot. Links seen go in `seen`. */
async function inspect(page, name, seen = new Set()) {
  await settle(page);
  const { links, words, width, viewport } = await readPage(page);
  for (const link of links) seen.add(link);
  const faults = [...words];
  if (width > viewport) faults.push(`the page is ${width} px wide on a ${viewport} px screen`);
  await screenshot(page, faults.length ? `FAILED-walk-${name}` : `walk-${name}`);
  return faults.map((fault) => `${name}: ${fault}`);
}

const slug = (path) => path.replace(/^\//, '').replaceAll('/', '-') || 'home';

// Two people at a time: much of a page's time is spent waiting for its requests to settle.
describe(`every menu page in zh-CN at ${BASE_URL}`, { concurrency: 2 }, () => {
  for (const username of PEOPLE) {
    test(`${username}: every menu page reads Chinese and fits 1366 px and 360 px`, async () => {
      const { context, page, errors } = await newPage(browser);
      try {
        await login(page, { username, password: ADMIN.password });
        const menu = page.getByTestId('side-menu');
        const links = await menu.locator('a').evaluateAll((anchors) =>
          anchors.map((anchor) => ({ name: anchor.textContent.trim(), path: new URL(anchor.href).pathname })),
        );
        assert.ok(links.length >= 3, `${username} has a menu (${links.length} entries)`);
        const faults = [];
        const seen = new Set();
        for (const { name, path } of links) {
          await menu.getByRole('link', { name, exact: true }).click();
          await page.waitForURL((url) => url.pathname === path || url.pathname.startsWith(`${path}/`) || path === '/');
          faults.push(...(await inspect(page, `1366-${username}-${slug(path)}`, seen)));
        }
        const details = DETAILS.flatMap((pattern) => [...seen].find((link) => pattern.test(link)) ?? []);
        for (const path of details) {
          await page.goto(path);
          faults.push(...(await inspect(page, `1366-${username}-${slug(path)}`)));
        }
        await page.setViewportSize({ width: 360, height: 780 });
        for (const path of [...links.map((link) => link.path), ...details]) {
          await page.goto(path);
          faults.push(...(await inspect(page, `360-${username}-${slug(path)}`)));
        }
        assert.deepEqual(faults, [], `what ${username} should not see`);
        assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
      } finally {
        await context.close();
      }
    });
  }

  test('the big screen at 1920×1080 and the phone ballot page at 360 px read Chinese and fit', async () => {
    const token = await adminToken();
    const cycles = await api('/cycles?limit=500', { token });
    const meetings = [];
    for (const cycle of cycles.data.items) {
      const found = await api(`/cycles/${cycle.id}/meetings`, { token });
      if (found.status === 200) meetings.push(...found.data);
    }
    const live = meetings.find((meeting) => meeting.status !== 'ended');
    const ended = meetings.find((meeting) => meeting.status === 'ended' && meeting.screen_key);
    assert.ok(live, 'the demo has a meeting to vote in');

    // The meeting is live with its first report open for voting, as in the hall.
    const meeting = await openFirstReport(token, live.id);

    const faults = [];
    const errors = [];
    const screen = await browser.newContext({ baseURL: BASE_URL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1920, height: 1080 } });
    const phone = await browser.newContext({
      baseURL: BASE_URL,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      for (const context of [screen, phone]) context.setDefaultTimeout(15_000);
      const big = await screen.newPage();
      big.on('pageerror', (error) => errors.push(error));
      for (const [name, shown] of [['live', meeting], ['ended', ended]]) {
        if (!shown?.screen_key) continue;
        await big.goto(`/screen/${shown.id}?key=${encodeURIComponent(shown.screen_key)}`);
        await big.getByTestId('screen-current').waitFor();
        faults.push(...(await inspect(big, `1920-screen-${name}`)));
      }
      await big.goto('/board');
      faults.push(...(await inspect(big, '1920-board')));

      const ballot = await phone.newPage();
      ballot.on('pageerror', (error) => errors.push(error));
      await ballot.goto('/board');
      faults.push(...(await inspect(ballot, '360-board')));
      await ballot.goto('/vote');
      await ballot.getByTestId('vote-sign-in').waitFor();
      faults.push(...(await inspect(ballot, '360-vote-sign-in')));
      await ballot.getByLabel('用户名').fill('leader01');
      await ballot.getByLabel('密码').fill(ADMIN.password);
      await ballot.getByRole('button', { name: '登录' }).click();
      const entry = ballot.getByRole('link', { name: new RegExp(meeting.title) });
      await entry.waitFor();
      faults.push(...(await inspect(ballot, '360-vote-meetings')));
      await entry.click();
      await ballot.getByTestId('ballot-sheet').or(ballot.getByRole('button', { name: '重新投票' })).first().waitFor();
      faults.push(...(await inspect(ballot, '360-vote-ballot')));
    } finally {
      await screen.close();
      await phone.close();
    }
    assert.deepEqual(faults, [], 'what the hall and the phone should not show');
    assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
  });
});
