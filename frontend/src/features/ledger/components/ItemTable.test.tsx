import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { LedgerItem } from '../../../api/types';
import { json, mockApi, page } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { ITEM_TABLE_MIN_WIDTH, ItemTable } from './ItemTable';

const ITEM: LedgerItem = {
  id: 7,
  cycle: { id: 1, name: '2013年上半年乡镇党委书记抓基层党建述职评议' },
  org: { id: 2, code: '410326101', name: '城关镇' },
  owner: { id: 9, full_name: '王书记' },
  category: '班子建设',
  title: '班子成员分工不够明确',
  measures: null,
  status: 'open',
  status_reason: null,
  start_date: '2013-09-02',
  due_days: 60,
  due_date: '2013-11-29',
  working_days_left: -3,
  overdue: true,
  due_soon: false,
  done_date: null,
  verified_date: null,
  opinion_count: 1,
  allowed_transitions: ['in_progress', 'rejected'],
  public: false,
  public_title: null,
  created_at: '2013-09-02T01:00:00Z',
  updated_at: '2013-09-02T01:00:00Z',
};

/** A screen at least `width` px wide, as antd's breakpoints ask it through matchMedia. */
function screenWidth(width: number) {
  const original = window.matchMedia;
  vi.stubGlobal(
    'matchMedia',
    vi.fn((query: string) => ({
      ...original(query),
      matches: Number(/min-width:\s*(\d+)px/.exec(query)?.[1] ?? Infinity) <= width,
    })),
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('ItemTable', { timeout: 30_000 }, () => {
  it('on a phone shows the owner’s items as cards: problem, status, deadline and steps', async () => {
    screenWidth(360);
    mockApi({ 'GET /api/v1/ledger/items': () => json(page([ITEM])) });
    renderWithProviders(<ItemTable cardsOnPhone query={{ mine: true }} onPageChange={() => undefined} />);
    const card = await screen.findByTestId('ledger-card-7');
    expect(within(card).getByRole('link', { name: '班子成员分工不够明确' })).toHaveAttribute('href', '/ledger/items/7');
    for (const label of ['问题', '状态', '截止日期', '操作']) expect(within(card).getByText(label)).toBeInTheDocument();
    expect(within(card).getByText('待整改')).toBeInTheDocument();
    expect(within(card).getByText('2013-11-29')).toBeInTheDocument();
    expect(within(card).getByText('(超期 3 个工作日)')).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: /开始整改/ })).toBeInTheDocument();
    expect(screen.queryByTestId('ledger-table')).not.toBeInTheDocument();
  });

  it('on a wide screen is a table whose columns share the page and scroll inside it only below a minimum', async () => {
    screenWidth(1366);
    mockApi({ 'GET /api/v1/ledger/items': () => json(page([ITEM])) });
    renderWithProviders(<ItemTable cardsOnPhone query={{}} onPageChange={() => undefined} />);
    const table = await screen.findByTestId('ledger-table');
    expect(await within(table).findByText('班子成员分工不够明确')).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: '截止日期' })).toBeInTheDocument();
    const element = table.querySelector('table');
    expect(element).toHaveStyle({ width: `${ITEM_TABLE_MIN_WIDTH}px`, minWidth: '100%' });
    expect(screen.queryByTestId('ledger-cards')).not.toBeInTheDocument();
  });

  it('stays a table on a phone where cards were not asked for (the full ledger scrolls inside itself)', async () => {
    screenWidth(360);
    mockApi({ 'GET /api/v1/ledger/items': () => json(page([ITEM])) });
    renderWithProviders(<ItemTable query={{}} onPageChange={() => undefined} />);
    expect(await screen.findByTestId('ledger-table')).toBeInTheDocument();
  });
});
