import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { tokenStore } from '../api/tokens';
import type { UserRead } from '../api/types';
import { ADMIN, json, mockApi, page, problem } from '../test/api';
import { tally } from '../test/meetings';
import { renderRoutes } from '../test/render';
import { results, resultsSummary } from '../test/results';
import { activeNavKey, navTree, visibleNavItems } from './navigation';
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
      'ledger',
      'ledgerDashboard',
      'opinions',
      'opinionImport',
      'followup',
      'results',
      'interviews',
      'notices',
      'petitions',
      'petitionStats',
      'petitionCalendar',
      'petitionImport',
      'petitionSync',
      'users',
      'audit',
      'targetProgrammes',
      'targetPipeline',
      'targetCompletion',
      'targetMonthly',
      'targetSupervision',
      'targetBulletins',
    ]);
    expect(visibleNavItems('clerk').map((item) => item.key)).toEqual([
      'home',
      'cycles',
      'rubrics',
      'orgs',
      'meetings',
      'ledger',
      'ledgerDashboard',
      'opinions',
      'opinionImport',
      'followup',
      'results',
      'interviews',
      'notices',
      'petitions',
      'petitionStats',
      'petitionCalendar',
      'petitionImport',
      'petitionSync',
      'targetProgrammes',
      'targetPipeline',
      'targetCompletion',
      'targetMonthly',
      'targetSupervision',
      'targetBulletins',
    ]);
    expect(visibleNavItems(undefined).map((item) => item.key)).toEqual(['home', 'orgs']);
    expect(visibleNavItems('deputy').map((item) => item.key)).toEqual(['home', 'cycles', 'orgs', 'myMeetings', 'results']);
  });

  it('gives secretaries their report and evaluators the cycles', () => {
    expect(visibleNavItems('secretary').map((item) => item.key)).toEqual([
      'home',
      'cycles',
      'myReports',
      'orgs',
      'ledger',
      'ledgerDashboard',
      'myItems',
      'opinions',
      'followup',
      'results',
      'notices',
      'myResults',
      'petitions',
      'petitionStats',
      'petitionCalendar',
      'targetPipeline',
      'targetCompletion',
      'targetMonthly',
      'targetSupervision',
      'targetBulletins',
    ]);
    expect(visibleNavItems('leader').map((item) => item.key)).toEqual([
      'home',
      'cycles',
      'orgs',
      'myMeetings',
      'ledger',
      'ledgerDashboard',
      'opinions',
      'followup',
      'results',
      'petitions',
      'petitionStats',
      'petitionCalendar',
      'targetMonthly',
      'targetSupervision',
      'targetBulletins',
    ]);
    expect(visibleNavItems('integration').map((item) => item.key)).toEqual(['home', 'orgs', 'petitionSync']);
  });

  it('marks the item a location belongs to', () => {
    const items = visibleNavItems('admin');
    expect(activeNavKey('/', items)).toBe('home');
    expect(activeNavKey('/orgs', items)).toBe('orgs');
    expect(activeNavKey('/users/5', items)).toBe('users');
    expect(activeNavKey('/meetings/7', items)).toBe('meetings');
    expect(activeNavKey('/ledger/items/5', items)).toBe('ledger');
    expect(activeNavKey('/ledger/dashboard', items)).toBe('ledgerDashboard');
    expect(activeNavKey('/cycles/3', items)).toBe('cycles');
    expect(activeNavKey('/rubrics/new', items)).toBe('rubrics');
    expect(activeNavKey('/elsewhere', items)).toBeUndefined();
    expect(activeNavKey('/cycles/3/results', items)).toBe('results');
    expect(activeNavKey('/cycles/3/meetings', items)).toBe('cycles');
    expect(activeNavKey('/targets/programmes/4', items)).toBe('targetProgrammes');
    expect(activeNavKey('/targets/pipeline', items)).toBe('targetPipeline');
    expect(activeNavKey('/targets/bulletins/5', items)).toBe('targetBulletins');
  });

  it('gathers the target supervision pages under one heading where the first of them stands', () => {
    const tree = navTree(visibleNavItems('secretary'));
    const groups = tree.filter((entry) => 'group' in entry);
    expect(groups).toEqual([{ group: 'targets', items: expect.any(Array) }]);
    const group = groups[0]!;
    expect('group' in group && group.items.map((item) => item.key)).toEqual(['targetPipeline', 'targetCompletion', 'targetMonthly', 'targetSupervision', 'targetBulletins']);
    expect(tree.at(-1)).toBe(group);
  });
});

describe('target supervision routes', () => {
  it('lists its pages under the 目标督查 heading and keeps programme set-up from secretaries', async () => {
    tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
    mockApi({
      'GET /api/v1/auth/me': () => json({ ...ADMIN, role: 'secretary' }),
      'GET /api/v1/targets/programmes': () => json([]),
    });
    renderRoutes(routes, '/targets');
    expect(await screen.findByText('无权访问', {}, { timeout: 10_000 })).toBeInTheDocument();
    const menu = screen.getByTestId('side-menu');
    expect(within(menu).getByText('目标督查')).toBeInTheDocument();
    expect(within(menu).getByRole('link', { name: '项目库' })).toBeInTheDocument();
    expect(within(menu).getByRole('link', { name: '完成情况' })).toBeInTheDocument();
    expect(within(menu).queryByRole('link', { name: '目标方案' })).not.toBeInTheDocument();
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

describe('ledger routes', () => {
  it('opens the public board without a login', async () => {
    mockApi({
      'GET /api/v1/public/ledger-board': () =>
        json({
          cycle: { id: 1, name: '2013年上半年' },
          cycles: [{ id: 1, name: '2013年上半年' }],
          as_of: '2026-11-26',
          total: { total: 0, open: 0, in_progress: 0, done: 0, verified: 0, rejected: 0, overdue: 0, due_soon: 0, completion_rate: null },
          orgs: [],
        }),
    });
    renderRoutes(routes, '/board');
    expect(await screen.findByTestId('board-title')).toHaveTextContent('述职评议意见整改进度公示');
    expect(await screen.findByTestId('ledger-board')).toBeInTheDocument();
  });

  it('keeps the opinion import from a secretary', async () => {
    loggedInAs({ ...ADMIN, role: 'secretary' });
    renderRoutes(routes, '/ledger/import');
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '我的整改' })).toBeInTheDocument();
  });
});

describe('results routes', () => {
  const cycle = { id: 3, name: '2013年上半年述职评议', stage: 'assessment', can_manage: true, groups: [] };

  it('offers a manager to compute when nothing is computed yet, then shows the ranking', async () => {
    tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
    let computed = false;
    mockApi({
      'GET /api/v1/auth/me': () => json(ADMIN),
      'GET /api/v1/cycles': () => json(page([])),
      'GET /api/v1/cycles/3': () => json(cycle),
      'GET /api/v1/cycles/3/results': () => (computed ? json(results()) : problem(404, 'Not found', { detail: 'No results computed for this cycle yet' })),
      'POST /api/v1/cycles/3/results/compute': () => {
        computed = true;
        return json(resultsSummary());
      },
    });
    renderRoutes(routes, '/cycles/3/results');
    expect(await screen.findByTestId('results-not-computed', {}, { timeout: 10_000 })).toHaveTextContent('本周期尚未计算评价结果');
    await userEvent.setup().click(screen.getByTestId('compute-results'));
    const table = await screen.findByTestId('ranking-table');
    expect(within(table).getByText('新村乡')).toBeInTheDocument();
    expect(screen.getByTestId('results-status')).toHaveTextContent('已计算，未发布');
    expect(screen.getByTestId('publish-results')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '综合评价' }).closest('li')).toHaveClass('ant-menu-item-selected');
  });

  it('tells a secretary the results are not published yet', async () => {
    tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
    mockApi({
      'GET /api/v1/auth/me': () => json({ ...ADMIN, role: 'secretary', org_id: 104 }),
      'GET /api/v1/cycles': () => json(page([])),
      'GET /api/v1/cycles/3': () => json({ ...cycle, can_manage: false }),
      'GET /api/v1/cycles/3/results': () => problem(403, 'Forbidden', { detail: 'The results are not published yet' }),
    });
    renderRoutes(routes, '/cycles/3/results');
    expect(await screen.findByText('评价结果尚未发布', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.queryByTestId('compute-results')).not.toBeInTheDocument();
  });

  it('keeps the interviews page from a secretary', async () => {
    loggedInAs({ ...ADMIN, role: 'secretary' });
    renderRoutes(routes, '/interviews');
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '我的述评结果' })).toBeInTheDocument();
  });
});
