import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { tokenStore } from '../api/tokens';
import type { UserRead } from '../api/types';
import type { HomeTodo } from '../features/home/api';
import { ADMIN, json, mockApi, page } from '../test/api';
import { renderWithProviders } from '../test/render';
import { HomePage } from './HomePage';

const to = (path: string, query: Record<string, string> = {}) => ({ path, query });

function signedInAs(user: UserRead, todo: HomeTodo | null) {
  tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
  return mockApi({
    'GET /api/v1/auth/me': () => json(user),
    'GET /api/v1/orgs': () => json(page([], 0)),
    'GET /api/v1/cycles': () => json([]),
    ...(todo ? { 'GET /api/v1/home/todo': () => json(todo) } : {}),
  });
}

const STAFF: HomeTodo = {
  role: 'admin',
  entries: [
    { key: 'meetings_live', count: 0, target: to('/meetings'), items: [] },
    {
      key: 'meetings_upcoming',
      count: 1,
      target: to('/meetings'),
      items: [{ id: 3, title: '小店镇村党支部书记述职评议大会', status: 'scheduled', starts_at: '2026-12-07T01:00:00Z', target: to('/meetings/3') }],
    },
    { key: 'reports_to_review', count: 2, target: to('/cycles/5'), items: [{ id: 5, title: '2026年下半年述职评议', count: 2, target: to('/cycles/5') }] },
    { key: 'ledger_overdue', count: 75, target: to('/ledger', { overdue: 'true' }), items: [] },
    { key: 'ledger_due_soon', count: 4, target: to('/ledger/dashboard'), items: [] },
    { key: 'notices_unsigned', count: 1, target: to('/notices'), items: [] },
    { key: 'petitions_overdue', count: 27, target: to('/petitions', { overdue: 'true' }), items: [] },
    { key: 'sync_failed', count: 1, target: to('/petitions/sync'), items: [{ title: 'pull', status: 'failed', target: to('/petitions/sync') }] },
  ],
};

describe('HomePage', () => {
  it('lists the staff’s to-dos with their counts and links, named in Chinese', async () => {
    signedInAs(ADMIN, STAFF);
    renderWithProviders(<HomePage />);
    const board = await screen.findByTestId('home-todo');
    expect(screen.getByTestId('welcome')).toHaveTextContent('欢迎，系统管理员');
    expect(within(board).getByTestId('todo-count-ledger_overdue')).toHaveTextContent('75');
    expect(within(board).getByTestId('todo-link-ledger_overdue')).toHaveAttribute('href', '/ledger?overdue=true');
    expect(within(board).getByTestId('todo-count-petitions_overdue')).toHaveTextContent('27');
    expect(within(board).getByTestId('todo-link-petitions_overdue')).toHaveAttribute('href', '/petitions?overdue=true');
    expect(within(board).getByTestId('todo-link-reports_to_review')).toHaveAttribute('href', '/cycles/5');
    expect(within(board).getByText('超期的整改事项')).toBeInTheDocument();
    expect(within(board).getByText('最近一次拉取失败')).toBeInTheDocument();
    const meeting = within(board).getByRole('link', { name: '小店镇村党支部书记述职评议大会' });
    expect(meeting).toHaveAttribute('href', '/meetings/3');
    // Times in Beijing: 01:00 UTC is 09:00 there.
    expect(within(board).getByText('2026-12-07 09:00 开始')).toBeInTheDocument();
    // Keys never reach the reader.
    expect(board).not.toHaveTextContent(/ledger_overdue|pull|scheduled/);
  });

  it('gives a leader one tap to the ballot of the meeting under way', async () => {
    signedInAs(
      { ...ADMIN, role: 'leader', full_name: '于亮秀' },
      {
        role: 'leader',
        entries: [
          {
            key: 'vote_now',
            count: 1,
            target: to('/my-meetings'),
            items: [{ id: 7, title: '县委述职评议大会', status: 'live', voting_open: true, target: to('/vote/meeting/7') }],
          },
          { key: 'meetings_upcoming', count: 0, target: to('/my-meetings'), items: [] },
        ],
      },
    );
    renderWithProviders(<HomePage />);
    const vote = await screen.findByTestId('todo-vote-7');
    expect(vote).toHaveAttribute('href', '/vote/meeting/7');
    expect(vote).toHaveTextContent('进入投票');
    expect(screen.getByText('正在投票')).toBeInTheDocument();
    expect(screen.getByTestId('todo-count-meetings_upcoming')).toHaveTextContent('0');
  });

  it('says when no meeting is under way', async () => {
    signedInAs(
      { ...ADMIN, role: 'deputy' },
      { role: 'deputy', entries: [{ key: 'vote_now', count: 0, target: to('/my-meetings'), items: [] }] },
    );
    renderWithProviders(<HomePage />);
    expect(await screen.findByText(/目前没有正在进行的评议大会/)).toBeInTheDocument();
  });

  it('shows a secretary their report’s state with a link to it', async () => {
    signedInAs(
      { ...ADMIN, role: 'secretary', org_name: '小店镇' },
      {
        role: 'secretary',
        entries: [
          {
            key: 'my_report',
            count: 1,
            target: to('/my-reports'),
            items: [{ id: 4, title: '2013年上半年述职评议', status: 'returned', target: to('/reports/4') }],
          },
          { key: 'notices_to_sign', count: 0, target: to('/notices'), items: [] },
          { key: 'ledger_overdue', count: 4, target: to('/ledger/mine', { overdue: 'true' }), items: [] },
        ],
      },
    );
    renderWithProviders(<HomePage />);
    const report = await screen.findByTestId('todo-my_report');
    expect(within(report).getByRole('link', { name: '2013年上半年述职评议' })).toHaveAttribute('href', '/reports/4');
    expect(within(report).getByText('已退回')).toBeInTheDocument();
    expect(screen.getByTestId('todo-link-ledger_overdue')).toHaveAttribute('href', '/ledger/mine?overdue=true');
    expect(screen.getByText('待签收的整改通知书')).toBeInTheDocument();
  });

  it('does not ask for the integration account’s to-dos', async () => {
    const { requests } = signedInAs({ ...ADMIN, role: 'integration' }, null);
    renderWithProviders(<HomePage />);
    // The role shows once the user is loaded, when the to-do query would have started.
    expect(await screen.findByText('系统集成')).toBeInTheDocument();
    expect(requests.some((r) => new URL(r.url).pathname === '/api/v1/home/todo')).toBe(false);
    expect(screen.queryByTestId('home-todo')).not.toBeInTheDocument();
  });
});
