import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { json, mockApi, page } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { AuditTable } from './AuditTable';

const entry = (id: number, patch: Record<string, unknown>) => ({
  id,
  at: '2024-01-01T00:00:00Z',
  actor_id: 1,
  actor_name: '张主任',
  action: 'auth.login',
  entity_type: 'user',
  entity_id: '1',
  data: {},
  prev_hash: '0'.repeat(64),
  hash: 'a'.repeat(64),
  ...patch,
});

describe('AuditTable', () => {
  it('names actions, objects and actors instead of showing their keys', async () => {
    mockApi({
      'GET /api/v1/audit': () =>
        json(
          page(
            [
              entry(2, { action: 'ledger.item_create', entity_type: 'ledger_item', entity_id: '7', actor_id: null, actor_name: 'system' }),
              entry(1, { action: 'cycle.create', entity_type: 'cycle', entity_id: '3', data: { name: '2013年上半年' } }),
            ],
            2,
            50,
          ),
        ),
    });
    renderWithProviders(<AuditTable query={{ limit: 50, offset: 0 }} onPageChange={() => {}} />);
    const first = (await screen.findByText('新建台账事项')).closest('tr') as HTMLElement;
    expect(within(first).getByText('系统')).toBeInTheDocument();
    expect(within(first).getByText('台账事项 · 编号 7')).toBeInTheDocument();
    const second = screen.getByText('新建评议周期').closest('tr') as HTMLElement;
    expect(within(second).getByText('张主任')).toBeInTheDocument();
    expect(within(second).getByText('评议周期 · 2013年上半年 · 编号 3')).toBeInTheDocument();
    const table = screen.getByTestId('audit-table');
    for (const key of ['ledger.item_create', 'ledger_item', 'cycle.create']) expect(table).not.toHaveTextContent(key);
  });
});
