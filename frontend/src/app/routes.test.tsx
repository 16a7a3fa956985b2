import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { tokenStore } from '../api/tokens';
import type { UserRead } from '../api/types';
import { ADMIN, json, mockApi, page } from '../test/api';
import { tally } from '../test/meetings';
import { renderRoutes } from '../test/render';
import { activeNavKey, visibleNavItems } from './navigation';
import { routes } from './routes';

function loggedInAs(user: UserRead) {
  tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
  mockApi({
    'GET /api/v1/auth/me': () => json(user),
    'GET /api/v1/orgs': () => json(page([], 0)),
  });
}

describe('routes', () => {
  it('sends an anonymous visitor to the login page, remembering where they were going', async () => {
    mockApi({});
    const { router } = renderRoutes(routes, '/orgs');
    expect(await screen.findByRole('button', { name: /登\s*录/ })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toBe('?next=%2Forgs');
  });

  it('shows the 404 page for an unknown address', async () => {
    mockApi({});
    renderRoutes(routes, '/no/such/page');
    expect(await screen.findByText('页面不存在')).toBeInTheDocument();
  });

  it('shows the admin menu and the home page to an admin', async () => {
    loggedInAs(ADMIN);
    renderRoutes(routes, '/');
    expect(await screen.findByText('欢迎，系统管理员')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '用户管理' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '审计日志' })).toBeInTheDocument();
  });

  it('hides admin pages from other roles and answers 403 if they are opened', async () => {
    loggedInAs({ ...ADMIN, role: 'secretary' });
    renderRoutes(routes, '/users');
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: '用户管理' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: '组织机构' })).toBeInTheDocument();
  });
});

describe('evaluation setup routes', () => {
  it('keeps rubrics to staff', async () => {
    loggedInAs({ ...ADMIN, role: 'secretary' });
    renderRoutes(routes, '/rubrics');
    expect(await screen.findByText('无权访问', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '我的述职报告' })).toBeInTheDocument();
  });

  it('lists the cycles for an evaluator', async () => {
    tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
    mockApi({
      'GET /api/v1/auth/me': () => json({ ...ADMIN, role: 'leader' }),
      'GET /api/v1/cycles': () => json(page([])),
    });
    renderRoutes(routes, '/cycles');
    expect(await screen.findByTestId('cycle-table', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /导入评议周期/ })).not.toBeInTheDocument();
  });
});

describe('navigation', () => {
  it('lists admin items only for admins', () => {
    expect(visibleNavItems('admin').map((item) => item.key)).toEqual([
      'home',
      'cycles',
      'rubrics',
      'orgs',
      'meetings',
      'petitions',
      'petitionStats',
      'petitionImport',
      'petitionSync',
      'users',
      'audit',
    ]);
    expect(visibleNavItems('clerk').map((item) => item.key)).toEqual([
      'home',
      'cycles',
      'rubrics',
      'orgs',
      'meetings',
      'petitions',
      'petitionStats',
      'petitionImport',
      'petitionSync',
    ]);
    expect(visibleNavItems(undefined).map((item) => item.key)).toEqual(['home', 'orgs']);
    expect(visibleNavItems('deputy').map((item) => item.key)).toEqual(['home', 'cycles', 'orgs', 'myMeetings']);
  });

  it('gives secretaries their report and evaluators the cycles', () => {
    expect(visibleNavItems('secretary').map((item) => item.key)).toEqual([
      'home',
      'cycles',
      'myReports',
      'orgs',
      'petitions',
      'petitionStats',
    ]);
    expect(visibleNavItems('leader').map((item) => item.key)).toEqual([
      'home',
      'cycles',
      'orgs',
      'myMeetings',
      'petitions',
      'petitionStats',
    ]);
    expect(visibleNavItems('integration').map((item) => item.key)).toEqual(['home', 'orgs', 'petitionSync']);
  });

  it('marks the item a location belongs to', () => {
    const items = visibleNavItems('admin');
    expect(activeNavKey('/', items)).toBe('home');
    expect(activeNavKey('/orgs', items)).toBe('orgs');
    expect(activeNavKey('/users/5', items)).toBe('users');
    expect(activeNavKey('/meetings/7', items)).toBe('meetings');
    expect(activeNavKey('/cycles/3', items)).toBe('cycles');
    expect(activeNavKey('/rubrics/new', items)).toBe('rubrics');
    expect(activeNavKey('/elsewhere', items)).toBeUndefined();
  });
});

describe('meeting routes', () => {
  it('opens the big screen without a login', async () => {
    mockApi({ 'GET /api/v1/meetings/7/tally': () => json(tally()) });
    renderRoutes(routes, '/screen/7?key=screen-key');
    expect(await screen.findByTestId('screen-current')).toHaveTextContent('小店镇党委');
  });

  it('keeps the host console from an evaluator', async () => {
    loggedInAs({ ...ADMIN, role: 'deputy' });
    renderRoutes(routes, '/meetings/7');
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '我的评议' })).toBeInTheDocument();
  });
});
