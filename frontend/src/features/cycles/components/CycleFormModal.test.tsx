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
      min_ballots_shown: 3,
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

  it('sets the minimum of ballots behind any score shown, and refuses less than one', async () => {
    const { requests } = mockApi({ 'PATCH /api/v1/cycles/1': () => json(cycle()) });
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<CycleFormModal cycle={cycle()} hostSelect={<Input />} rubricSelect={<Input />} onClose={onClose} />);
    const field = screen.getByLabelText('最少显示票数');
    expect(field).toHaveValue('3');
    await user.clear(field);
    await user.type(field, '0');
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(await screen.findByText('请输入 1～1000 的整数')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
    await user.clear(field);
    await user.type(field, '5');
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const sent = (await requests[0]!.json()) as { grading: { min_ballots_shown: number } };
    expect(sent.grading.min_ballots_shown).toBe(5);
  });

  it('puts the server’s problems with a grading setting on its field', async () => {
    mockApi({
      'PATCH /api/v1/cycles/1': () =>
        problem(422, 'Validation error', {
          errors: [{ loc: ['body', 'grading', 'min_ballots_shown'], msg: 'Input should be greater than or equal to 1' }],
        }),
    });
    const user = userEvent.setup();
    renderWithProviders(<CycleFormModal cycle={cycle()} hostSelect={<Input />} rubricSelect={<Input />} onClose={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    const message = await screen.findByText('Input should be greater than or equal to 1');
    expect(message.closest('.ant-form-item')).toHaveTextContent('最少显示票数');
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
