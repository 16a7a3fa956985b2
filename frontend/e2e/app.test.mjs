import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN, BASE_URL, launchBrowser, login, screenshot, withPage } from './helpers.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

describe(`Shuping SPA at ${BASE_URL}`, () => {
  test('the API and the SPA are served', async () => {
    const health = await fetch(`${BASE_URL}/api/v1/health`);
    assert.equal(health.status, 200);
    const index = await fetch(`${BASE_URL}/`);
    assert.match(await index.text(), /<div id="root">/);
  });

  test('a wrong password shows an error and keeps the user on the login page', () =>
    withPage(browser, 'wrong-password', async (page) => {
      await page.goto('/login');
      await page.getByLabel('用户名').fill(ADMIN.username);
      await page.getByLabel('密码').fill('definitely-not-the-password');
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.getByTestId('login-error').getByText('用户名或密码错误').waitFor();
      assert.match(new URL(page.url()).pathname, /^\/login/);
      assert.equal(await page.evaluate(() => localStorage.getItem('shuping.tokens')), null);
      await screenshot(page, 'login-wrong-password');
    }));

  test('an admin logs in, lands on the home page with the chart and the admin menu', () =>
    withPage(browser, 'home', async (page) => {
      await login(page);
      assert.equal(new URL(page.url()).pathname, '/');
      await page.getByTestId('current-user').getByText('管理员').waitFor();
      const menu = page.getByTestId('side-menu');
      for (const item of ['首页', '组织机构', '用户管理', '审计日志']) await menu.getByText(item).waitFor();
      const chart = page.getByTestId('bar-chart');
      await chart.locator('canvas').waitFor();
      const label = await chart.getAttribute('aria-label');
      assert.match(label ?? '', /乡镇党委 \d+/);
      assert.match(label ?? '', /村党支部 \d+/);
      await screenshot(page, 'home');
    }));

  test('the organisation tree expands county → townships → villages, and search finds an org', () =>
    withPage(browser, 'orgs', async (page) => {
      await login(page);
      await page.getByTestId('side-menu').getByText('组织机构').click();
      const tree = page.getByTestId('org-tree');
      const node = (name) => tree.locator('.ant-tree-treenode', { has: page.getByText(name, { exact: true }) });

      await node('汝阳县委').waitFor();
      await node('汝阳县委').locator('.ant-tree-switcher').click();
      await node('小店镇').waitFor();
      await node('工业区委工委').waitFor();
      const firstLevel = await tree.locator('.ant-tree-treenode').count();
      assert.ok(firstLevel >= 1 + 14, `county children shown: ${firstLevel - 1}`);

      await node('小店镇').locator('.ant-tree-switcher').click();
      const villages = tree.locator('.ant-tree-treenode', { has: page.locator('[data-kind="village"]') });
      await villages.first().waitFor();
      assert.equal(await villages.count(), 20, '小店镇 has 20 villages');
      await screenshot(page, 'orgs-tree');

      await node('小店镇').getByText('小店镇', { exact: true }).click();
      const details = page.getByTestId('org-details');
      await details.getByText('乡镇党委').first().waitFor();
      await details.getByText('汝阳县委').waitFor();

      const search = page.getByPlaceholder('按名称或代码搜索组织');
      await search.fill('小店');
      await search.press('Enter');
      const results = page.getByTestId('org-search-results');
      await results.getByText('小店镇', { exact: true }).waitFor();
      assert.match(new URL(page.url()).search, /q=%E5%B0%8F%E5%BA%97|q=小店/);
      await screenshot(page, 'orgs-search');
    }));

  test('switching to English changes the navigation and survives a reload', () =>
    withPage(browser, 'language', async (page) => {
      await login(page);
      await page.getByTestId('language-switch').getByText('English').click();
      const menu = page.getByTestId('side-menu');
      await menu.getByText('Organisations').waitFor();
      await menu.getByText('Audit log').waitFor();
      await page.reload();
      await menu.getByText('Organisations').waitFor();
      await page.getByTestId('welcome').getByText('Welcome').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en-US');
      assert.equal(await page.evaluate(() => localStorage.getItem('shuping.lang')), 'en-US');
      await screenshot(page, 'home-english');
      await page.getByTestId('language-switch').getByText('中文').click();
      await menu.getByText('组织机构').waitFor();
    }));

  test('the users and audit pages load for an admin, and the audit chain verifies', () =>
    withPage(browser, 'admin-pages', async (page) => {
      await login(page);
      await page.getByTestId('side-menu').getByText('用户管理').click();
      await page.getByTestId('user-table').getByText(ADMIN.username, { exact: true }).first().waitFor();
      await screenshot(page, 'users');
      await page.getByTestId('side-menu').getByText('审计日志').click();
      await page.getByTestId('audit-table').locator('.ant-table-row').first().waitFor();
      // Ant Design's own texts follow the language too.
      await page.getByPlaceholder('开始日期').waitFor();
      await page.getByRole('button', { name: /校验哈希链/ }).click();
      await page.getByTestId('verify-result').getByText(/哈希链完整/).waitFor();
      await screenshot(page, 'audit');
    }));

  test('logout returns to the login page and forgets the session', () =>
    withPage(browser, 'logout', async (page) => {
      await login(page);
      await page.getByTestId('logout').click();
      await page.getByRole('button', { name: /登\s*录/ }).waitFor();
      assert.match(new URL(page.url()).pathname, /^\/login/);
      assert.equal(await page.evaluate(() => localStorage.getItem('shuping.tokens')), null);
      await page.goto('/orgs');
      await page.getByRole('button', { name: /登\s*录/ }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');
    }));

  test('an expired access token is refreshed without the user noticing', () =>
    withPage(browser, 'refresh', async (page) => {
      await login(page);
      await page.evaluate(() => {
        const tokens = JSON.parse(localStorage.getItem('shuping.tokens'));
        localStorage.setItem('shuping.tokens', JSON.stringify({ ...tokens, accessToken: 'expired.or.forged' }));
      });
      await page.goto('/orgs');
      await page.getByTestId('org-tree').getByText('汝阳县委', { exact: true }).waitFor();
      const tokens = await page.evaluate(() => JSON.parse(localStorage.getItem('shuping.tokens')));
      assert.notEqual(tokens.accessToken, 'expired.or.forged');
    }));

  test('a session whose refresh is refused ends on the login page', () =>
    withPage(browser, 'session-expired', async (page) => {
      await page.goto('/login');
      await page.evaluate(() =>
        localStorage.setItem(
          'shuping.tokens',
          JSON.stringify({ accessToken: 'forged', refreshToken: 'forged', expiresAt: Date.now() + 60_000 }),
        ),
      );
      await page.goto('/orgs');
      await page.getByRole('button', { name: /登\s*录/ }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(await page.evaluate(() => localStorage.getItem('shuping.tokens')), null);
    }));

  test('an unknown client route shows the 404 page', () =>
    withPage(browser, 'not-found', async (page) => {
      const response = await page.goto('/no/such/page');
      assert.equal(response?.status(), 200, 'the server answers client routes with index.html');
      await page.getByTestId('not-found').getByText('页面不存在', { exact: true }).waitFor();
      await screenshot(page, 'not-found');
    }));
});
