import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Input } from 'antd';
import { describe, expect, it, vi } from 'vitest';

import { json, mockApi, problem } from '../../../test/api';
import { cycle } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { CycleFormModal } from './CycleFormModal';

// antd forms render slowly on a loaded machine: allow these more time than the default.
describe('CycleFormModal', { timeout: 45_000 }, () => {
  it('changes a cycle in preparation, sending every setting', async () => {
    const { requests } = mockApi({ 'PATCH /api/v1/cycles/1': () => json(cycle()) });
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<CycleFormModal cycle={cycle()} hostSelect={<Input />} rubricSelect={<Input />} onClose={onClose} />);
    expect(screen.getByLabelText('主办组织')).toHaveValue('汝阳县委');
    await user.click(screen.getByLabelText('按比例'));
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const body = await requests.find((r) => r.method === 'PATCH')?.json();
    expect(body.grading).toEqual({
      method: 'quota',
      quotas: { good: '0.9', fairly_good: '0.8', average: '0.6' },
      poor_vote_share: '0.3333',
      consequence_count: 1,
    });
    expect(body.period_start).toBe('2013-01-01');
    expect(body.opinion_categories).toEqual(['班子建设']);
  });

  it('after preparation sends only the name and the due date', async () => {
    const { requests } = mockApi({ 'PATCH /api/v1/cycles/1': () => json(cycle({ stage: 'evaluation' })) });
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(
      <CycleFormModal cycle={cycle({ stage: 'evaluation' })} hostSelect={<Input />} rubricSelect={<Input />} onClose={onClose} />,
    );
    expect(screen.getByText('本周期已过述前准备阶段，只能修改名称和报告截止日期。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(await requests[0]?.json()).toEqual({ name: '2013年上半年乡镇党委书记抓基层党建述职评议', report_due_date: '2013-07-10' });
  });

  it('puts the server’s field errors on the fields', async () => {
    mockApi({
      'PATCH /api/v1/cycles/1': () =>
        problem(400, 'Invalid input', { errors: [{ loc: ['body', 'name'], msg: '名称与已有周期重复' }] }),
    });
    const user = userEvent.setup();
    renderWithProviders(<CycleFormModal cycle={cycle()} hostSelect={<Input />} rubricSelect={<Input />} onClose={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(await screen.findByText('名称与已有周期重复')).toBeInTheDocument();
  });
});
