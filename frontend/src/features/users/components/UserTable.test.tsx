import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { ADMIN, json, mockApi, page } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { UserTable } from './UserTable';

describe('UserTable', () => {
  it('shows users with translated roles, Beijing times and the query it was given', async () => {
    const { requests } = mockApi({
      'GET /api/v1/users': () =>
        json(page([ADMIN, { ...ADMIN, id: 2, username: 'sec01', full_name: '王书记', role: 'secretary', is_active: false }], 2, 20)),
    });
    renderWithProviders(
      <UserTable query={{ role: 'secretary', limit: 20, offset: 0 }} onPageChange={() => {}} onEdit={() => {}} />,
    );
    const row = (await screen.findByText('sec01')).closest('tr') as HTMLElement;
    expect(within(row).getByText('书记')).toBeInTheDocument();
    expect(within(row).getByText('已停用')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: /启\s*用/ })).toBeInTheDocument();
    expect(screen.getAllByText('2024-01-01 08:00:00')).toHaveLength(2);
    expect(screen.getByText('共 2 条')).toBeInTheDocument();
    expect(new URL(requests[0]!.url).searchParams.get('role')).toBe('secretary');
  });
});
