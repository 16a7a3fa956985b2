import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { GroupRead } from '../../../api/types';
import { json, mockApi } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { MembersPanel } from './MembersPanel';

const group = (key: string, name: string): GroupRead => ({
  key,
  name,
  weight: '0.5',
  aggregation: 'mean',
  trim: 0,
  anonymous: false,
  expected: 3,
  quorum: 1,
  member_count: 0,
});

describe('MembersPanel', () => {
  it('names the group a candidate is already in, not its key', async () => {
    mockApi({
      'GET /api/v1/cycles/3/members': () => json([]),
      'GET /api/v1/cycles/3/candidates': () =>
        json([{ user_id: 9, username: 'dep01', full_name: '李代表', role: 'deputy', org_name: '县人大', group_key: 'deputies' }]),
    });
    renderWithProviders(<MembersPanel cycleId={3} groups={[group('leaders', '上级领导'), group('deputies', '两代表一委员')]} editable />);
    const picker = await screen.findByTestId('assign-leaders');
    await userEvent.click(picker.querySelector('.ant-select-selector') ?? picker);
    expect(await screen.findByText(/李代表.*· 两代表一委员/)).toBeInTheDocument();
    expect(screen.queryByText(/· deputies/)).not.toBeInTheDocument();
  });
});
