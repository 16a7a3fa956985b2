import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { json, mockApi, problem } from '../../../test/api';
import { report } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { ReviewActions } from './ReviewActions';

// antd forms render slowly on a loaded machine: allow these more time than the default.
describe('ReviewActions', { timeout: 45_000 }, () => {
  it('accepts a submitted report', async () => {
    const { requests } = mockApi({ 'POST /api/v1/reports/44/accept': () => json(report({ status: 'accepted' })) });
    const onChanged = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ReviewActions report={report({ status: 'submitted' })} onChanged={onChanged} />);
    await user.click(screen.getByRole('button', { name: '审核通过' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('returns a report only with a comment', async () => {
    const { requests } = mockApi({ 'POST /api/v1/reports/44/return': () => json(report({ status: 'returned' })) });
    const user = userEvent.setup();
    renderWithProviders(<ReviewActions report={report({ status: 'accepted' })} />);
    expect(screen.queryByRole('button', { name: '审核通过' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '退回修改' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '退回修改' }));
    expect(await within(dialog).findByText('请填写修改意见（至少 2 个字）')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('修改意见'), '请补充整改措施');
    await user.click(within(dialog).getByRole('button', { name: '退回修改' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(await requests[0]?.json()).toEqual({ comment: '请补充整改措施' });
  });

  it('says why the server refused', async () => {
    mockApi({
      'POST /api/v1/reports/44/accept': () =>
        problem(409, 'Invalid state', { detail: 'Cannot accept a report: the cycle is in evaluation, this needs preparation' }),
    });
    const user = userEvent.setup();
    renderWithProviders(<ReviewActions report={report({ status: 'submitted' })} />);
    await user.click(screen.getByRole('button', { name: '审核通过' }));
    expect(await screen.findByText(/the cycle is in evaluation/)).toBeInTheDocument();
  });

  it('offers nothing for a draft', () => {
    mockApi({});
    renderWithProviders(<ReviewActions report={report({ status: 'draft' })} />);
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});
