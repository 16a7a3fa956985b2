import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { mockApi } from '../../test/api';
import { downloadExport } from './api';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('the case export', () => {
  let saved: string[];
  beforeEach(() => {
    saved = [];
    URL.createObjectURL = vi.fn(() => 'blob:cases');
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('asks for the chosen format with the list filters, never the page, and saves it under its extension', async () => {
    const { requests } = mockApi({
      'GET /api/v1/petitions/cases/export': (_request, url) =>
        new Response('案件编号\r\n', {
          headers: { 'Content-Type': url.searchParams.get('format') === 'csv' ? 'text/csv; charset=utf-8' : XLSX },
        }),
    });
    await downloadExport({ q: '排水', overdue: true, limit: 50, offset: 100 }, 'csv');
    await downloadExport({ q: '排水' });
    const queries = requests.map((request) => Object.fromEntries(new URL(request.url).searchParams));
    expect(queries).toEqual([
      { q: '排水', overdue: 'true', format: 'csv' },
      { q: '排水', format: 'xlsx' },
    ]);
    expect(saved).toEqual(['petition-cases.csv', 'petition-cases.xlsx']);
  });
});
