import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';

import { launch, login, screenshot } from './session-helpers.mjs';

// Each test has its own browser profile, so sessions never leak between users.
let context;
beforeEach(async () => {
  context = await launch();
});
afterEach(async () => {
  await context?.close();
});

test('the admin logs in and sees the home page with the menu', async () => {
  const page = await login(context, 'admin');
  await page.getByTestId('welcome').waitFor();
  const menu = page.getByTestId('side-menu');
  for (const item of ['述职评议', '测评表', '组织机构', '用户管理', '审计日志']) {
    assert.equal(await menu.getByRole('link', { name: item }).count(), 1, item);
  }
  await screenshot(page, 'home-admin');
  await page.close();
});
