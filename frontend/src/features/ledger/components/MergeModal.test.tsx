import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { LedgerItem } from '../../../api/types';
import { json, mockApi, page } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { mergeCandidates, MergeModal, sameTextKey } from './MergeModal';

function item(overrides: Partial<LedgerItem> = {}): LedgerItem {
  return {
    id: 7,
    cycle: { id: 1, name: '2013年上半年乡镇党委书记抓基层党建述职评议' },
    org: { id: 2, code: '410326101', name: '城关镇' },
    owner: { id: 9, full_name: '王书记' },
    category: '班子建设',
    title: '班子团结协作还需加强',
    measures: null,
    status: 'open',
    status_reason: null,
    start_date: '2013-09-02',
    due_days: 60,
    due_date: '2013-11-29',
    working_days_left: null,
    overdue: false,
    due_soon: false,
    done_date: null,
    verified_date: null,
    opinion_count: 1,
    allowed_transitions: ['in_progress', 'rejected'],
    public: false,
    public_title: null,
    created_at: '2013-09-02T01:00:00Z',
    updated_at: '2013-09-02T01:00:00Z',
    ...overrides,
  };
}

describe('merging duplicate items', () => {
  it('compares texts as the server compares opinions', () => {
    expect(sameTextKey('班子团结协作还需加强。')).toBe(sameTextKey(' 班子团结 协作还需加强'));
    expect(sameTextKey('ABC，１２３！')).toBe(sameTextKey('abc,123'));
  });

  it('offers the organisation’s other items, those saying the same first', () => {
    const mine = item();
    const listed = [
      mine,
      item({ id: 8, title: '党员教育培训形式单一' }),
      item({ id: 9, title: '班子团结协作还需加强！' }),
      item({ id: 10, title: '班子团结协作还需加强', org: { id: 3, code: '410326102', name: '柏树乡' } }),
    ];
    expect(mergeCandidates(mine, listed).map(({ item: other, same }) => [other.id, same])).toEqual([
      [9, true],
      [8, false],
    ]);
  });

  it('merges the items picked into this one', async () => {
    const { requests } = mockApi({
      'GET /api/v1/ledger/items': () => json(page([item(), item({ id: 9, title: '班子团结协作还需加强！', opinion_count: 3 })])),
      'POST /api/v1/ledger/items/7/merge': () => json(item({ opinion_count: 4 })),
    });
    const user = userEvent.setup();
    renderWithProviders(<MergeModal item={item()} />);
    await user.click(screen.getByTestId('merge-open'));
    const list = await screen.findByTestId('merge-candidates');
    const choice = await within(list).findByRole('checkbox');
    expect(within(list).getByText('内容相同')).toBeInTheDocument();
    expect(within(list).getByText('3 条意见')).toBeInTheDocument();
    await user.click(choice);
    await user.click(screen.getByRole('button', { name: /^合\s*并$/ }));
    expect(await screen.findByText('已并入 1 个事项，意见来源均已保留')).toBeInTheDocument();
    const merge = requests.find((r) => r.method === 'POST');
    expect(await merge?.json()).toEqual({ item_ids: [9] });
    const listing = new URL(requests.find((r) => r.method === 'GET')!.url);
    expect(listing.searchParams.get('org_id')).toBe('2');
    expect(listing.searchParams.getAll('status')).toEqual(['open', 'in_progress']);
  });

  it('offers nothing for an item no longer being worked on', () => {
    renderWithProviders(<MergeModal item={item({ status: 'verified' })} />);
    expect(screen.queryByTestId('merge-open')).not.toBeInTheDocument();
  });
});
