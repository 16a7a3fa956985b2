import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import { json, mockApi, org, page } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { OrgTree } from './OrgTree';

const COUNTY = org({ id: 1, name: '汝阳县委', kind: 'county', children_count: 2 });
const XIAODIAN = org({ id: 2, name: '小店镇', kind: 'township', parent_id: 1, children_count: 2 });
const BUREAU = org({ id: 3, name: '县财政局', kind: 'department', parent_id: 1, children_count: 0 });
const VILLAGES = [
  org({ id: 10, name: '小店村', kind: 'village', parent_id: 2 }),
  org({ id: 11, name: '沙坪村', kind: 'village', parent_id: 2 }),
];

function treeApi() {
  return mockApi({
    'GET /api/v1/orgs': (_request, url) => {
      const params = url.searchParams;
      if (params.getAll('kind').includes('county')) return json(page([COUNTY]));
      if (params.get('parent_id') === '1') return json(page([XIAODIAN, BUREAU]));
      if (params.get('parent_id') === '2') return json(page(VILLAGES));
      return json(page([]));
    },
  });
}

function switcherOf(name: string) {
  const node = screen.getByText(name).closest('.ant-tree-treenode');
  if (!(node instanceof HTMLElement)) throw new Error(`no tree node for ${name}`);
  const switcher = node.querySelector('.ant-tree-switcher');
  if (!(switcher instanceof HTMLElement)) throw new Error(`no switcher for ${name}`);
  return switcher;
}

describe('OrgTree', () => {
  it('loads the county, then each level when it is expanded', async () => {
    tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
    const { requests } = treeApi();
    const user = userEvent.setup();
    renderWithProviders(<OrgTree />);

    expect(await screen.findByText('汝阳县委')).toBeInTheDocument();
    expect(screen.queryByText('小店镇')).not.toBeInTheDocument();

    await user.click(switcherOf('汝阳县委'));
    expect(await screen.findByText('小店镇')).toBeInTheDocument();
    expect(screen.getByText('县财政局')).toBeInTheDocument();
    const townshipNode = screen.getByText('小店镇').closest('.ant-tree-treenode') as HTMLElement;
    expect(within(townshipNode).getByText('乡镇党委')).toBeInTheDocument();

    await user.click(switcherOf('小店镇'));
    expect(await screen.findByText('小店村')).toBeInTheDocument();
    expect(screen.getByText('沙坪村')).toBeInTheDocument();

    const queries = requests.map((r) => new URL(r.url).search);
    expect(queries.some((q) => q.includes('parent_id=1'))).toBe(true);
    expect(queries.some((q) => q.includes('parent_id=2'))).toBe(true);
    expect(requests.every((r) => r.headers.get('Authorization') === 'Bearer t')).toBe(true);
  });

  it('reports the selected organisation', async () => {
    treeApi();
    const onSelect = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<OrgTree onSelect={onSelect} />);
    await user.click(await screen.findByText('汝阳县委'));
    await waitFor(() => expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ id: 1, name: '汝阳县委' })));
  });

  it('shows an error page with retry when the API is unreachable', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    renderWithProviders(<OrgTree />);
    expect(await screen.findByText('无法连接服务器')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /重\s*试/ })).toBeInTheDocument();
  });
});
