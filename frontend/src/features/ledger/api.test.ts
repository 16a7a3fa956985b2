import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { mockApi } from '../../test/api';
import { downloadLedger } from './api';

describe('the ledger export', () => {
  let saved: string[];
  beforeEach(() => {
    saved = [];
    URL.createObjectURL = vi.fn(() => 'blob:ledger');
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads the CSV or the workbook with the same filters and saves each under its extension', async () => {
    const { requests } = mockApi({
      'GET /api/v1/ledger/items.csv': () => new Response('编号\r\n', { headers: { 'Content-Type': 'text/csv; charset=utf-8' } }),
      'GET /api/v1/ledger/items.xlsx': () => new Response('PK', { headers: { 'Content-Type': 'application/octet-stream' } }),
    });
    await downloadLedger({ cycle_id: 3, mine: true, limit: 50, offset: 50 }, 'csv');
    await downloadLedger({ cycle_id: 3, mine: true });
    expect(requests.map((request) => new URL(request.url).pathname)).toEqual([
      '/api/v1/ledger/items.csv',
      '/api/v1/ledger/items.xlsx',
    ]);
    for (const request of requests) {
      expect(Object.fromEntries(new URL(request.url).searchParams)).toEqual({ cycle_id: '3', mine: 'true' });
    }
    expect(saved).toEqual(['ledger.csv', 'ledger.xlsx']);
  });
});
