import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { json, mockApi } from '../../../test/api';
import { cycle } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { GroupsEditor, WeightSum } from './GroupsEditor';

const GROUPS = cycle().groups;

describe('WeightSum', () => {
  it('checks the weights sum to exactly 1', () => {
    const { rerender } = render(<WeightSum weights={['0.4', '0.3', '0.3']} />);
    expect(screen.getByTestId('weight-sum')).toHaveTextContent('权重合计 1 ✓');
    rerender(<WeightSum weights={['0.4', '0.3', '0.2']} />);
    expect(screen.getByTestId('weight-sum')).toHaveTextContent('权重合计 0.9，应为 1');
  });
});

// antd forms render slowly on a loaded machine: allow these more time than the default.
describe('GroupsEditor', { timeout: 45_000 }, () => {
  it('updates the sum as a weight is typed and saves the groups', async () => {
    const { requests } = mockApi({
      'PUT /api/v1/cycles/1/groups': () => json({ groups: GROUPS, weight_sum: '1', weights_ok: true }),
    });
    const user = userEvent.setup();
    renderWithProviders(<GroupsEditor cycleId={1} groups={GROUPS} editable />);
    expect(screen.getByTestId('weight-sum')).toHaveTextContent('权重合计 1 ✓');
    const weights = screen.getAllByLabelText('权重');
    fireEvent.change(weights[2]!, { target: { value: '0.2' } });
    await waitFor(() => expect(screen.getByTestId('weight-sum')).toHaveTextContent('权重合计 0.9，应为 1'));
    fireEvent.change(weights[2]!, { target: { value: '0.3' } });
    await waitFor(() => expect(screen.getByTestId('weight-sum')).toHaveTextContent('权重合计 1 ✓'));
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(requests.some((r) => r.method === 'PUT')).toBe(true));
    const body = await requests.find((r) => r.method === 'PUT')?.json();
    expect(body.groups.map((g: { key: string; weight: string; trim: number }) => [g.key, g.weight, g.trim])).toEqual([
      ['leaders', '0.4', 0],
      ['deputies', '0.3', 1],
      ['members', '0.3', 1],
    ]);
  });

  it('is read-only after preparation', () => {
    mockApi({});
    renderWithProviders(<GroupsEditor cycleId={1} groups={GROUPS} editable={false} />);
    expect(screen.queryByRole('button', { name: /保\s*存/ })).not.toBeInTheDocument();
    expect(screen.getAllByLabelText('权重')[0]).toBeDisabled();
  });
});
