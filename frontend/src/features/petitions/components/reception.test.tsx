import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';

import type { AppointmentRead, CaseRead, PetitionStats, StatsFigures } from '../../../api/types';
import ReceptionCalendarPage from '../../../pages/ReceptionCalendarPage';
import PetitionStatsPage, { periodOf, thisYear } from '../../../pages/PetitionStatsPage';
import { json, mockApi, page } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { CaseActions } from './CaseActions';
import { beijingDay, beijingSpan, byDay, ReceptionMonth, ReceptionWeek, weekOf } from './ReceptionCalendar';
import { StatsBreakdown } from './StatsBreakdown';

function appointment(overrides: Partial<AppointmentRead>): AppointmentRead {
  return {
    id: 1,
    case_id: 7,
    case_external_id: 'YGXF-DEMO-0211',
    petitioner_name: '张**',
    org: { id: 2, code: '410326104', name: '小店镇' },
    leader_id: 3,
    leader_name: '李县长',
    starts_at: '2026-03-04T01:00:00Z', // 09:00 in Beijing
    ends_at: '2026-03-04T01:30:00Z',
    status: 'booked',
    location: '乡镇视频接访室',
    outcome: null,
    created_at: '2026-03-01T01:00:00Z',
    ...overrides,
  };
}

const FIGURES: StatsFigures = {
  accepted: 10,
  resolved: 6,
  assigned_or_transferred: 3,
  in_progress: 1,
  overdue: 2,
  resolution_rate: '0.600000',
  median_days_to_resolve: '12.0',
  acceptance_due: 8,
  accepted_in_time: 6,
  timely_acceptance_rate: '0.750000',
  handling_due: 5,
  handled_in_time: 4,
  on_time_completion_rate: '0.800000',
  closed: 4,
  rated: 3,
  satisfied: 3,
  satisfaction_rate: '1.000000',
  rating_rate: '0.750000',
};

const EMPTY: StatsFigures = {
  ...FIGURES,
  accepted: 0,
  resolved: 0,
  assigned_or_transferred: 0,
  in_progress: 0,
  overdue: 0,
  resolution_rate: null,
  median_days_to_resolve: null,
  acceptance_due: 0,
  accepted_in_time: 0,
  timely_acceptance_rate: null,
  handling_due: 0,
  handled_in_time: 0,
  on_time_completion_rate: null,
  closed: 0,
  rated: 0,
  satisfied: 0,
  satisfaction_rate: null,
  rating_rate: null,
};

function stats(overrides: Partial<PetitionStats> = {}): PetitionStats {
  return {
    group_by: 'org',
    as_of: '2026-12-04',
    period_from: '2026-01-01',
    period_to: '2026-12-31',
    cycle_id: null,
    rows: [
      { org: { id: 2, code: '410326104', name: '小店镇' }, ...FIGURES },
      { org: { id: 3, code: '410326105', name: '陶营乡' }, ...EMPTY },
    ],
    total: FIGURES,
    ...overrides,
  };
}

describe('reception calendar', () => {
  it('places each reception on its Beijing day, in time order', () => {
    // 17:00 UTC on 3 March is 01:00 on 4 March in Beijing.
    const late = appointment({ id: 2, starts_at: '2026-03-03T17:00:00Z', ends_at: '2026-03-03T17:30:00Z' });
    const early = appointment({ id: 1 });
    expect(beijingDay(late.starts_at)).toBe('2026-03-04');
    expect(beijingSpan(early)).toBe('09:00–09:30');
    expect(byDay([early, late]).get('2026-03-04')?.map((a) => a.id)).toEqual([2, 1]);
    expect(weekOf(dayjs('2026-03-08')).map((d) => d.format('MM-DD'))).toEqual(['03-02', '03-03', '03-04', '03-05', '03-06', '03-07', '03-08']);
  });

  it('shows a week with who, which leader, where and the state', () => {
    renderWithProviders(
      <ReceptionWeek
        day={dayjs('2026-03-05')}
        appointments={[appointment({}), appointment({ id: 2, status: 'held', starts_at: '2026-03-06T02:00:00Z', ends_at: '2026-03-06T02:30:00Z', petitioner_name: '王*', leader_name: '赵书记', location: '县信访局视频接访室' })]}
      />,
    );
    const week = screen.getByTestId('reception-week');
    expect(within(week).getByText('03-04 星期三')).toBeInTheDocument();
    const receptions = within(week).getAllByTestId('reception');
    expect(receptions).toHaveLength(2);
    expect(receptions[0]).toHaveTextContent('09:00–09:30');
    expect(receptions[0]).toHaveTextContent('信访人：张**');
    expect(receptions[0]).toHaveTextContent('乡镇：小店镇');
    expect(receptions[0]).toHaveTextContent('接访领导：李县长');
    expect(receptions[0]).toHaveTextContent('地点：乡镇视频接访室');
    expect(within(receptions[0]!).getByText('已预约')).toBeInTheDocument();
    expect(receptions[1]).toHaveTextContent('10:00–10:30');
    expect(within(receptions[1]!).getByText('已接访')).toBeInTheDocument();
    expect(within(receptions[0]!).getByRole('link')).toHaveAttribute('href', '/petitions/cases/7');
  });

  it('says so when a week has none', () => {
    renderWithProviders(<ReceptionWeek day={dayjs('2026-04-05')} appointments={[appointment({})]} />);
    expect(screen.getByText('本周没有视频接访')).toBeInTheDocument();
    expect(screen.queryByTestId('reception')).toBeNull();
  });

  it('marks the month days that have receptions', () => {
    renderWithProviders(<ReceptionMonth value={dayjs('2026-03-10')} onSelect={() => undefined} appointments={[appointment({}), appointment({ id: 2 })]} />);
    expect(screen.getByTestId('day-2026-03-04')).toBeInTheDocument();
    expect(screen.queryByTestId('day-2026-03-05')).toBeNull();
  });

  it('asks for the receptions the month shows and lists the chosen day', async () => {
    const today = dayjs().tz('Asia/Shanghai');
    const starts = dayjs.tz(`${today.format('YYYY-MM-DD')} 10:00`, 'Asia/Shanghai');
    const { requests } = mockApi({
      'GET /api/v1/petitions/appointments': () =>
        json(page([appointment({ starts_at: starts.toISOString(), ends_at: starts.add(30, 'minute').toISOString() })])),
    });
    renderWithProviders(<ReceptionCalendarPage />);
    const day = await screen.findByTestId('reception-day');
    await waitFor(() => expect(within(day).getByText('信访人：张**')).toBeInTheDocument());
    const url = new URL(requests[0]!.url);
    expect(new Date(url.searchParams.get('since')!).getTime()).toBeLessThan(starts.valueOf());
    expect(new Date(url.searchParams.get('until')!).getTime()).toBeGreaterThan(starts.valueOf());
    expect(url.searchParams.get('limit')).toBe('500');
    await userEvent.click(screen.getByText('周视图'));
    await waitFor(() => expect(screen.getByTestId('reception-week')).toHaveTextContent('10:00–10:30'));
  });
});

describe('petition statistics', () => {
  it('ends the table with a totals row, the measures with their counts', () => {
    renderWithProviders(<StatsBreakdown stats={stats()} groupLabel="乡镇" />);
    const total = screen.getByTestId('stats-total-row');
    expect(within(total).getByText('合计')).toBeInTheDocument();
    expect(total).toHaveTextContent('10');
    expect(total).toHaveTextContent('75.0%');
    expect(total).toHaveTextContent('6 / 8 件');
    expect(total).toHaveTextContent('80.0%');
    expect(total).toHaveTextContent('100.0%');
    // A township with nothing due has no rate, not 0 %.
    const empty = screen.getByText('陶营乡').closest('tr')!;
    expect(empty).toHaveTextContent('—');
    expect(empty).not.toHaveTextContent('0.0%');
  });

  it('asks for the current year by default and for every case on 全部', async () => {
    const { requests } = mockApi({ 'GET /api/v1/petitions/stats': () => json(stats()) });
    renderWithProviders(<PetitionStatsPage />);
    await screen.findByTestId('stats-total-row');
    const [from, to] = thisYear();
    let url = new URL(requests[0]!.url);
    expect(url.searchParams.get('from')).toBe(from.format('YYYY-MM-DD'));
    expect(url.searchParams.get('to')).toBe(to.format('YYYY-MM-DD'));
    expect(to.format('MM-DD')).toBe('12-31');
    expect(screen.getByTestId('stats-showing')).toHaveTextContent('统计期间：2026-01-01 至 2026-12-31');
    await userEvent.click(screen.getByTestId('stats-all'));
    await waitFor(() => expect(requests).toHaveLength(2));
    url = new URL(requests[1]!.url);
    expect(url.searchParams.has('from')).toBe(false);
    expect(url.searchParams.has('to')).toBe(false);
    expect(periodOf(null)).toEqual({});
  });
});

describe('closing a case', () => {
  it('records the petitioner’s rating (未评价 by default)', async () => {
    const bodies: unknown[] = [];
    mockApi({
      'POST /api/v1/petitions/cases/7/transitions': async (request) => {
        bodies.push(await request.json());
        return json({});
      },
    });
    const petition = {
      id: 7,
      stage: 'done',
      extended: false,
      allowed_transitions: ['closed', 'in_progress'],
    } as unknown as CaseRead;
    renderWithProviders(<CaseActions petition={petition} holderPicker={<span />} />);
    await userEvent.click(screen.getByRole('button', { name: /已办结/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('信访人评价')).toBeInTheDocument();
    expect(within(dialog).getByText('未评价')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('combobox'));
    await userEvent.click(await screen.findByTitle('基本满意'));
    await userEvent.click(within(dialog).getByRole('button', { name: /确\s*定|OK/ }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({ to_status: 'closed', satisfaction: 'basically_satisfied' });
  });
});
