import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import { json, mockApi, type Handler } from '../../../test/api';
import { pair, paperForm, reconciliation } from '../../../test/paper';
import { renderWithProviders } from '../../../test/render';
import type { Reconciliation } from '../paper';
import { PaperReconciliation } from './PaperReconciliation';

configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 60_000 });

beforeEach(() => {
  tokenStore.set({ accessToken: 'clerk', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
});

function serve(rec: Reconciliation, routes: Record<string, Handler> = {}) {
  let current = rec;
  const api = mockApi({
    'GET /api/v1/meetings/7/paper-ballots/reconciliation': () => json(current),
    'POST /api/v1/meetings/7/paper-ballots': () => {
      current = { ...current, matched: current.matched + 1, differences: [], disputed: [] };
      return json({ entry: 2, stored: 1 });
    },
    ...routes,
  });
  const posts = () => api.requests.filter((r) => r.method === 'POST');
  return { ...api, posts };
}

describe('the reconciliation view', () => {
  it('highlights each difference, entry 1 beside entry 2, and lets the second clerk correct theirs in place', async () => {
    const user = userEvent.setup();
    const { posts } = serve(reconciliation());
    renderWithProviders(<PaperReconciliation meetingId={7} form={paperForm()} />);
    const sheet = await screen.findByTestId('paper-disputed-P007');
    expect(within(sheet).getByText('第 P007 号票 · 小店镇党委')).toBeInTheDocument();
    // Only the differing item is listed: 履行主体责任 18 against 19; 总体评价 agrees and is not.
    expect(within(sheet).getByText('履行主体责任')).toBeInTheDocument();
    expect(within(sheet).queryByText('总体评价')).not.toBeInTheDocument();
    expect(within(sheet).getByTestId('paper-first-P007-items.duty')).toHaveTextContent('18');
    const second = within(sheet).getByTestId('paper-fix-P007-items.duty');
    expect(second).toHaveValue('19');
    await user.clear(second);
    await user.type(second, '18');
    await user.click(within(sheet).getByTestId('paper-correct-P007'));
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(await posts()[0].clone().json()).toEqual({
      entry: 2,
      sheets: [
        {
          sheet_no: 'P007',
          report_id: 11,
          group_key: 'members',
          items: { duty: 18, overall: 'average' },
          comment: null,
          comment_category: null,
        },
      ],
    });
    expect(await screen.findByText('第 P007 号票的第二遍已更正')).toBeInTheDocument();
    expect(await screen.findByText('两遍录入没有差异')).toBeInTheDocument();
  });

  it('shows tiers and groups by name, and leaves the correction to another clerk than the first', async () => {
    const disputed = pair({
      first: { group_key: 'members', items: { duty: '18', overall: 'good' }, comment: null, comment_category: null, entered_by_me: true },
      second: { group_key: 'members', items: { duty: '18', overall: 'poor' }, comment: null, comment_category: null, entered_by_me: false },
    });
    serve(reconciliation({ disputed: [disputed], only_in_first: ['P010'], only_in_second: ['P011'] }));
    renderWithProviders(<PaperReconciliation meetingId={7} form={paperForm()} />);
    const sheet = await screen.findByTestId('paper-disputed-P007');
    expect(within(sheet).getByTestId('paper-first-P007-items.overall')).toHaveTextContent('好');
    expect(within(sheet).getByTestId('paper-second-P007-items.overall')).toHaveTextContent('较差');
    expect(within(sheet).queryByTestId('paper-correct-P007')).not.toBeInTheDocument();
    expect(within(sheet).getByText('这张票的第一遍是您录的，第二遍须由另一位录入员更正')).toBeInTheDocument();
    expect(screen.getByTestId('paper-missing')).toHaveTextContent('P010（只录了第一遍）、P011（只录了第二遍）');
  });

  it('counts the agreeing sheets after a confirmation that says how many', async () => {
    const user = userEvent.setup();
    const { posts } = serve(reconciliation(), {
      'POST /api/v1/meetings/7/paper-ballots/commit': () => json({ counted: 3, receipts: ['a', 'b', 'c'] }),
    });
    renderWithProviders(<PaperReconciliation meetingId={7} form={paperForm()} />);
    await user.click(await screen.findByTestId('paper-commit'));
    const confirm = await screen.findByTestId('paper-commit-confirm');
    expect(confirm).toHaveTextContent('将计入 3 张两遍录入一致的选票');
    expect(confirm).toHaveTextContent('另有 1 张两遍不一致的选票不计入');
    expect(posts()).toHaveLength(0);
    await user.click(screen.getByTestId('paper-commit-ok'));
    await waitFor(() => expect(posts().map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/meetings/7/paper-ballots/commit']));
    expect(await screen.findByText('已计入 3 张选票')).toBeInTheDocument();
  });

  it('offers nothing to count when no sheet agrees', async () => {
    serve(reconciliation({ matched: 0 }));
    renderWithProviders(<PaperReconciliation meetingId={7} form={paperForm()} />);
    expect(await screen.findByTestId('paper-commit')).toBeDisabled();
    expect(screen.getByText('没有两遍一致、待计票的选票')).toBeInTheDocument();
  });
});
