import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { CaseEvent, ImportResult, StatsFigures, SyncRun } from '../../../api/types';
import { json, mockApi, page } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { CaseTimeline } from './CaseTimeline';
import { ImportPanel } from './ImportPanel';
import { StatsTotals, formatRate } from './StatsTotals';
import { StatusTag } from './StatusTag';
import { SyncLogTable } from './SyncLogTable';

const TOTAL: StatsFigures = {
  accepted: 346,
  resolved: 210,
  assigned_or_transferred: 136,
  in_progress: 0,
  overdue: 26,
  resolution_rate: '0.606936',
  median_days_to_resolve: '35.0',
  acceptance_due: 7,
  accepted_in_time: 5,
  timely_acceptance_rate: '0.714286',
  handling_due: 6,
  handled_in_time: 4,
  on_time_completion_rate: '0.666667',
  closed: 4,
  rated: 3,
  satisfied: 2,
  satisfaction_rate: '0.666667',
  rating_rate: '0.750000',
};

function event(overrides: Partial<CaseEvent>): CaseEvent {
  return {
    id: 1,
    at: '2026-03-01T01:00:00Z',
    kind: 'status',
    action: 'start',
    from_status: 'accepted',
    to_status: 'in_progress',
    stage: 'handling',
    due_date: '2026-05-25',
    late: false,
    holder: { id: 2, code: '410326104', name: '小店镇' },
    owner: { id: 2, code: '410326104', name: '小店镇' },
    via: 'push',
    actor_name: 'sunshine:push',
    note: null,
    ...overrides,
  };
}

describe('petition components', () => {
  it('names statuses in the UI language', () => {
    renderWithProviders(<StatusTag status="transferred" />);
    expect(screen.getByText('转办')).toBeInTheDocument();
  });

  it('shows the headline figures and the resolution rate', () => {
    renderWithProviders(<StatsTotals total={TOTAL} />);
    expect(within(screen.getByTestId('stat-accepted')).getByText('346')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-resolved')).getByText('210')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-assigned_or_transferred')).getByText('136')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-resolution_rate')).getByText('60.7%')).toBeInTheDocument();
    expect(formatRate(null)).toBe('—');
    // The four measures of petition work, each with its counts.
    expect(within(screen.getByTestId('stat-timely_acceptance_rate')).getByText('及时受理率')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-timely_acceptance_rate')).getByText('71.4%')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-timely_acceptance_rate')).getByText('5 / 7 件')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-on_time_completion_rate')).getByText('66.7%')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-satisfaction_rate')).getByText('2 / 3 件')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-rating_rate')).getByText('75.0%')).toBeInTheDocument();
  });

  it('draws the history with late stages flagged', () => {
    renderWithProviders(
      <CaseTimeline
        events={[
          event({ id: 1, kind: 'created', action: null, from_status: null, to_status: 'accepted', stage: 'acceptance' }),
          event({ id: 2, late: true, note: '已告知信访人' }),
        ]}
      />,
    );
    expect(screen.getByText('登记')).toBeInTheDocument();
    expect(screen.getByText('该阶段已超期')).toBeInTheDocument();
    expect(screen.getByText('已告知信访人')).toBeInTheDocument();
    expect(screen.getAllByText(/推送 · sunshine:push/)).toHaveLength(2);
  });

  it('does not repeat the demo channel as a name', () => {
    renderWithProviders(<CaseTimeline events={[event({ via: 'demo', actor_name: 'demo' }), event({ id: 2, via: 'manual', actor_name: '王干事' })]} />);
    const timeline = screen.getByTestId('case-timeline');
    expect(timeline).toHaveTextContent('演示');
    expect(timeline).not.toHaveTextContent('demo');
    expect(timeline).toHaveTextContent('手工 · 王干事');
  });

  it('lists sync runs with lag and failures', async () => {
    const run: SyncRun = {
      id: 7,
      source: 'sunshine',
      kind: 'pull',
      status: 'failed',
      started_at: '2026-03-01T00:00:00Z',
      finished_at: '2026-03-01T00:00:02Z',
      dry_run: false,
      message_id: null,
      file_name: null,
      updated_since: null,
      cursor: null,
      received: 4,
      created: 1,
      updated: 2,
      unchanged: 0,
      stale: 0,
      failed: 1,
      lag_seconds: 42,
      error: 'HTTPStatusError: 502',
    };
    mockApi({ 'GET /api/v1/petitions/sync/runs': () => json(page([run])) });
    renderWithProviders(<SyncLogTable query={{ limit: 50, offset: 0 }} onPageChange={() => {}} />);
    expect(await screen.findByText('HTTPStatusError: 502')).toBeInTheDocument();
    expect(screen.getByText('42 秒')).toBeInTheDocument();
    expect(screen.getByText('拉取')).toBeInTheDocument();
  });

  it('runs a dry run first and imports only after it passed', async () => {
    const checked: ImportResult = { run_id: 3, dry_run: true, applied: false, rows: 2, created: 2, updated: 0, unchanged: 0, stale: 0, errors: [] };
    const { requests } = mockApi({
      'POST /api/v1/petitions/imports': (_request, url) =>
        json(url.searchParams.get('dry_run') === 'true' ? checked : { ...checked, run_id: 4, dry_run: false, applied: true }),
    });
    const user = userEvent.setup();
    const { container } = renderWithProviders(<ImportPanel />);
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    await user.upload(input, new File(['x'], 'cases.csv', { type: 'text/csv' }));
    expect(await screen.findByTestId('import-checked')).toHaveTextContent('2 行');
    await user.click(screen.getByTestId('import-apply'));
    expect(await screen.findByTestId('import-done')).toBeInTheDocument();
    const dryRuns = requests.map((r) => new URL(r.url).searchParams.get('dry_run'));
    expect(dryRuns).toEqual(['true', 'false']);
  });

  it('shows row errors and offers the error sheet, with nothing to apply', async () => {
    mockApi({
      'POST /api/v1/petitions/imports': () =>
        json({
          run_id: 5,
          dry_run: true,
          applied: false,
          rows: 2,
          created: 1,
          updated: 0,
          unchanged: 0,
          stale: 0,
          errors: [{ row: 3, column: 'status', message: 'Input should be accepted' }],
        }),
    });
    const user = userEvent.setup();
    const { container } = renderWithProviders(<ImportPanel />);
    await user.upload(container.querySelector('input[type="file"]') as HTMLInputElement, new File(['x'], 'bad.xlsx'));
    expect(await screen.findByTestId('import-failed')).toHaveTextContent('1 处错误');
    expect(screen.getByText('Input should be accepted')).toBeInTheDocument();
    expect(screen.getByTestId('import-error-sheet')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('import-apply')).not.toBeInTheDocument());
  });
});
