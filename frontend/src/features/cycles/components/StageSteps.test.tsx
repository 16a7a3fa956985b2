import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { json, mockApi } from '../../../test/api';
import { cycle } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { StageSteps } from './StageSteps';

// antd forms render slowly on a loaded machine: allow these more time than the default.
describe('StageSteps', { timeout: 45_000 }, () => {
  it('explains what blocks the next stage and keeps the button disabled', () => {
    mockApi({});
    renderWithProviders(
      <StageSteps
        cycle={cycle({
          next_gate: {
            stage: 'preparation',
            to: 'evaluation',
            ready: false,
            blockers: [
              { code: 'weights_sum', message: 'The group weights sum to 0.9, not 1', params: { sum: '0.9' } },
              { code: 'reports_not_accepted', message: '2 report(s)…', params: { count: 2, names: '城关镇、小店镇' } },
              { code: 'meeting_live', message: 'A meeting is live', params: {} },
            ],
          },
        })}
        canRevert={false}
      />,
    );
    const steps = screen.getByTestId('stage-steps');
    expect(within(steps).getByText('述前准备')).toBeInTheDocument();
    expect(within(steps).getByText('已结束')).toBeInTheDocument();
    const gate = screen.getByTestId('gate');
    expect(gate).toHaveTextContent('暂不能进入“述职评议”阶段');
    expect(gate).toHaveTextContent('各评议组权重之和为 0.9，应等于 1');
    expect(gate).toHaveTextContent('有 2 份述职报告尚未审核通过：城关镇、小店镇');
    expect(gate).toHaveTextContent('A meeting is live');
    expect(screen.getByTestId('advance')).toBeDisabled();
    expect(screen.queryByRole('button', { name: '退回上一阶段' })).not.toBeInTheDocument();
  });

  it('advances to the next stage after confirmation', async () => {
    const { requests } = mockApi({
      'POST /api/v1/cycles/1/advance': () => json(cycle({ stage: 'evaluation' })),
    });
    const user = userEvent.setup();
    renderWithProviders(<StageSteps cycle={cycle()} canRevert={false} />);
    expect(screen.getByTestId('gate')).toHaveTextContent('条件已满足');
    await user.click(screen.getByTestId('advance'));
    await user.click(await screen.findByRole('button', { name: /确\s*定/ }));
    expect(await screen.findByText('已进入“述职评议”阶段')).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST');
    expect(await post?.json()).toEqual({ to: 'evaluation' });
  });

  it('lets an admin go back a stage only with a reason', async () => {
    const { requests } = mockApi({
      'POST /api/v1/cycles/1/revert': () => json(cycle()),
    });
    const user = userEvent.setup();
    renderWithProviders(
      <StageSteps cycle={cycle({ stage: 'evaluation', next_gate: { stage: 'evaluation', to: 'assessment', ready: true, blockers: [] } })} canRevert />,
    );
    await user.click(screen.getByRole('button', { name: '退回上一阶段' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '退回上一阶段' }));
    expect(await within(dialog).findByText('请填写退回原因（至少 2 个字）')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('退回原因'), '报告需要补充');
    await user.click(within(dialog).getByRole('button', { name: '退回上一阶段' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    expect(await requests.find((r) => r.method === 'POST')?.json()).toEqual({ reason: '报告需要补充' });
  });

  it('shows no buttons to someone who does not manage the cycle', () => {
    mockApi({});
    renderWithProviders(<StageSteps cycle={cycle({ can_manage: false })} canRevert={false} />);
    expect(screen.queryByTestId('advance')).not.toBeInTheDocument();
  });
});
