import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { json, mockApi, org, page, problem } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { OrgFormModal } from './OrgFormModal';

const COUNTY = org({ id: 1, name: '汝阳县委', kind: 'county', children_count: 14 });

describe('OrgFormModal', () => {
  it('puts the server’s field errors on the fields they name', async () => {
    mockApi({
      'GET /api/v1/orgs': () => json(page([COUNTY])),
      'GET /api/v1/orgs/1': () => json(COUNTY),
      'POST /api/v1/orgs': () =>
        problem(409, 'Conflict', { detail: 'code taken', errors: [{ loc: ['body', 'code'], msg: '代码 X1 已被使用' }] }),
    });
    const user = userEvent.setup();
    const onClose = vi.fn();
    renderWithProviders(<OrgFormModal target={{ mode: 'create', parent: COUNTY }} onClose={onClose} />);

    await user.type(await screen.findByLabelText('名称'), '新镇');
    await user.type(screen.getByLabelText('代码'), 'X1');
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));

    expect(await screen.findByText('代码 X1 已被使用')).toBeInTheDocument();
    expect(onClose).not.toHaveBeenCalled();
  });

  it('shows a general error when no field is named', async () => {
    mockApi({
      'GET /api/v1/orgs': () => json(page([COUNTY])),
      'GET /api/v1/orgs/1': () => json(COUNTY),
      'POST /api/v1/orgs': () => problem(403, 'Forbidden', { detail: 'admins only' }),
    });
    const user = userEvent.setup();
    renderWithProviders(<OrgFormModal target={{ mode: 'create', parent: COUNTY }} onClose={vi.fn()} />);
    await user.type(await screen.findByLabelText('名称'), '新镇');
    await user.type(screen.getByLabelText('代码'), 'X1');
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(await screen.findByText('无权访问: admins only')).toBeInTheDocument();
  });

  it('creates a township under the chosen parent', async () => {
    const { requests } = mockApi({
      'GET /api/v1/orgs': () => json(page([COUNTY])),
      'GET /api/v1/orgs/1': () => json(COUNTY),
      'POST /api/v1/orgs': async (request) => json(org({ id: 99, ...(await request.json()) }), 201),
    });
    const user = userEvent.setup();
    const onClose = vi.fn();
    const onSaved = vi.fn();
    renderWithProviders(<OrgFormModal target={{ mode: 'create', parent: COUNTY }} onClose={onClose} onSaved={onSaved} />);
    await user.type(await screen.findByLabelText('名称'), ' 新镇 ');
    await user.type(screen.getByLabelText('代码'), 'X1');
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const post = requests.find((r) => r.method === 'POST');
    expect(await post?.json()).toEqual({ code: 'X1', name: '新镇', kind: 'township', parent_id: 1 });
    expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ id: 99 }));
  });
});
