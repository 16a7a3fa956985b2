import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { json, mockApi } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { measure } from '../../../test/targets';
import { MeasuresPanel } from './MeasuresPanel';

const WAIT = { timeout: 10_000 };

describe('the measures tab', { timeout: 45_000 }, () => {
  it('lists the measures in words and adds one keyed by its stage and basis', async () => {
    const { requests } = mockApi({
      'GET /api/v1/targets/programmes/3/measures': () => json([measure({ key: 'signed_projects', name: '签约项目数', stage: 'signed', weight: '0.5000' })]),
      'POST /api/v1/targets/programmes/3/measures': () => json(measure(), 201),
    });
    const user = userEvent.setup();
    renderWithProviders(<MeasuresPanel programmeId={3} editable />);
    const table = await screen.findByTestId('measure-table', {}, WAIT);
    const row = (await within(table).findByText('签约项目数', {}, WAIT)).closest('tr')!;
    expect(within(row).getByText('签约')).toBeInTheDocument();
    expect(within(row).getByText('项目个数')).toBeInTheDocument();
    expect(within(row).getByText('越多越好')).toBeInTheDocument();
    expect(within(row).getByText('0.5')).toBeInTheDocument();
    expect(screen.getByText('权重合计 0.5（加权完成率按权重占比计算）')).toBeInTheDocument();

    await user.click(screen.getByTestId('measure-add'));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('指标名称'), '签约项目数（二）');
    await user.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    // The default stage and basis (签约, 项目个数) are taken: the key is numbered, never shown.
    expect(await requests.find((r) => r.method === 'POST')!.json()).toEqual({
      name: '签约项目数（二）',
      unit: '个',
      more_is_better: true,
      weight: '1',
      stage: 'signed',
      basis: 'projects',
      position: 1,
      key: 'signed_projects_2',
    });
  });

  it('offers no changes to one who may only read', async () => {
    mockApi({ 'GET /api/v1/targets/programmes/3/measures': () => json([measure()]) });
    renderWithProviders(<MeasuresPanel programmeId={3} editable={false} />);
    await screen.findByText('落地项目数', {}, WAIT);
    expect(screen.queryByTestId('measure-add')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /编\s*辑/ })).not.toBeInTheDocument();
  });
});
