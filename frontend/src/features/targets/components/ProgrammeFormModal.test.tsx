import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { json, mockApi, org, page } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { COUNTY, programme } from '../../../test/targets';
import { ProgrammeFormModal } from './ProgrammeFormModal';

const BUREAU = { id: 40, code: '410326-D12', name: '县商务局' };

describe('the programme form', { timeout: 45_000 }, () => {
  it('changes the name, sending the office and period it keeps, the host shown but fixed', async () => {
    const { requests } = mockApi({
      'GET /api/v1/orgs': () => json(page([org({ ...BUREAU, kind: 'department', parent_id: COUNTY.id })])),
      'PATCH /api/v1/targets/programmes/3': () => json(programme()),
    });
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ProgrammeFormModal programme={programme({ office: BUREAU })} hostSelect={<span />} onClose={onClose} />);
    expect(screen.getByLabelText('牵头单位')).toHaveValue('汝阳县委');
    expect(await screen.findByText('县商务局')).toBeInTheDocument();
    const name = screen.getByLabelText('方案名称');
    await user.clear(name);
    await user.type(name, '2013年重点项目');
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(requests.some((r) => r.method === 'PATCH')).toBe(true));
    const body = await requests.find((r) => r.method === 'PATCH')!.json();
    expect(body).toEqual({ name: '2013年重点项目', office_org_id: BUREAU.id, period_start: '2013-09-01', period_end: '2013-12-31' });
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('refuses a programme without a name', async () => {
    const { requests } = mockApi({ 'GET /api/v1/orgs': () => json(page([])) });
    const user = userEvent.setup();
    renderWithProviders(<ProgrammeFormModal programme={null} hostSelect={<span />} onClose={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(await screen.findByText('请填写方案名称')).toBeInTheDocument();
    expect(screen.getByText('请选择考核期间')).toBeInTheDocument();
    expect(requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });
});
