import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { json, mockApi, problem } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { VerifyChain } from './VerifyChain';

async function verify() {
  renderWithProviders(<VerifyChain />);
  await userEvent.setup().click(screen.getByRole('button', { name: /校验哈希链/ }));
}

describe('VerifyChain', () => {
  it('reports an intact chain with its length', async () => {
    mockApi({ 'GET /api/v1/audit/verify': () => json({ ok: true, entries: 6, first_broken_id: null, reason: null }) });
    await verify();
    expect(await screen.findByText('哈希链完整，共 6 条记录')).toBeInTheDocument();
  });

  it('names the first broken entry and the reason', async () => {
    mockApi({
      'GET /api/v1/audit/verify': () => json({ ok: false, entries: 9, first_broken_id: 4, reason: 'hash mismatch' }),
    });
    await verify();
    expect(await screen.findByText('哈希链在第 4 号记录处断裂')).toBeInTheDocument();
    expect(screen.getByText('原因：hash mismatch')).toBeInTheDocument();
  });

  it('explains a refusal', async () => {
    mockApi({ 'GET /api/v1/audit/verify': () => problem(403, 'Forbidden') });
    await verify();
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
  });
});
