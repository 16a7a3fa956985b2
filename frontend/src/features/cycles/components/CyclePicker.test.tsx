import { screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';

import type { CycleSummary } from '../../../api/types';
import { json, mockApi, page } from '../../../test/api';
import { cycle } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { cycleKeys, cyclesQuery, firstCycleWithData, MAX_PROBED_CYCLES, orderCycles, type CycleDataProbe } from '../api';
import { CycleLinks } from './CycleLinks';
import { CyclePicker } from './CyclePicker';

const OLD = cycle({ id: 1, name: '2013年上半年', period_start: '2013-01-01', period_end: '2013-06-30', stage: 'closed' });
const NEW = cycle({ id: 2, name: '2013年下半年', period_start: '2013-07-01', period_end: '2013-12-31', stage: 'evaluation' });

function Picked({ prefer, probe }: { prefer?: CycleSummary['stage'][]; probe?: CycleDataProbe }) {
  const [value, setValue] = useState<number | undefined>(undefined);
  return (
    <>
      <CyclePicker pickDefault prefer={prefer} probe={probe} value={value} onChange={setValue} />
      <output data-testid="picked">{value ?? ''}</output>
    </>
  );
}

describe('orderCycles', () => {
  it('lists the preferred stages first, then the newest period first', () => {
    const cases: [CycleSummary[], CycleSummary['stage'][], number[]][] = [
      [[OLD, NEW], [], [2, 1]],
      [[NEW, OLD], [], [2, 1]],
      [[NEW, OLD], ['assessment', 'rectification', 'closed'], [1, 2]],
      [[OLD, NEW], ['evaluation'], [2, 1]],
    ];
    for (const [cycles, prefer, ids] of cases) expect(orderCycles(cycles, prefer).map((c) => c.id)).toEqual(ids);
  });

  it('keeps the list of every cycle under the key that cycle mutations invalidate', () => {
    expect(cyclesQuery().queryKey.slice(0, 2)).toEqual([...cycleKeys.lists()]);
  });
});

describe('firstCycleWithData', () => {
  it('answers the first cycle with data, else the first, asking no further than it must', async () => {
    const cases: [number[], number[], number | undefined, number[]][] = [
      // ids in order, ids with data, expected, ids asked
      [[3, 2, 1], [2, 1], 2, [3, 2]],
      [[3, 2, 1], [3], 3, [3]],
      [[3, 2, 1], [], 3, [3, 2, 1]],
      [[], [], undefined, []],
    ];
    for (const [ids, withData, expected, asked] of cases) {
      const has = vi.fn((id: number) => Promise.resolve(withData.includes(id)));
      expect(await firstCycleWithData(ids, has)).toBe(expected);
      expect(has.mock.calls.map(([id]) => id)).toEqual(asked);
    }
  });

  it('counts a cycle it cannot read as empty, and stops after a dozen', async () => {
    expect(await firstCycleWithData([3, 2], (id) => (id === 3 ? Promise.reject(new Error('403')) : Promise.resolve(true)))).toBe(2);
    const ids = Array.from({ length: 30 }, (_, i) => 30 - i);
    const has = vi.fn((id: number) => Promise.resolve(id === 1));
    expect(await firstCycleWithData(ids, has)).toBe(30);
    expect(has).toHaveBeenCalledTimes(MAX_PROBED_CYCLES);
  });
});

describe('CyclePicker', { timeout: 30_000 }, () => {
  it('reads the cycles once for every picker and list on the page', async () => {
    const { requests } = mockApi({ 'GET /api/v1/cycles': () => json(page([NEW, OLD])) });
    renderWithProviders(
      <>
        <CyclePicker onChange={() => undefined} />
        <CyclePicker allowAll onChange={() => undefined} />
        <CycleLinks to={(c) => `/cycles/${c.id}/results`} action="open" emptyText="none" testId="cycle-links" />
      </>,
    );
    const table = await screen.findByTestId('cycle-links');
    expect(await within(table).findByText('2013年下半年')).toBeInTheDocument();
    expect(within(table).getAllByRole('link', { name: 'open' })[0]).toHaveAttribute('href', '/cycles/2/results');
    expect(screen.getAllByRole('combobox', { name: '评议周期' })).toHaveLength(2);
    expect(requests).toHaveLength(1);
    expect(new URL(requests[0].url).searchParams.get('limit')).toBe('500');
  });

  it('picks the newest cycle by default, or the newest in a preferred stage', async () => {
    mockApi({ 'GET /api/v1/cycles': () => json(page([OLD, NEW])) });
    const first = renderWithProviders(<Picked />);
    await waitFor(() => expect(screen.getByTestId('picked')).toHaveTextContent('2'));
    expect(screen.getByText('2013年下半年 · 汝阳县委')).toBeInTheDocument();
    first.unmount();

    renderWithProviders(<Picked prefer={['closed']} />);
    await waitFor(() => expect(screen.getByTestId('picked')).toHaveTextContent('1'));
  });

  it('opens on the newest cycle with the page’s data, else on the newest', async () => {
    mockApi({ 'GET /api/v1/cycles': () => json(page([OLD, NEW])) });
    const withOpinions = renderWithProviders(<Picked probe={{ key: 'test-old', has: (id) => Promise.resolve(id === 1) }} />);
    await waitFor(() => expect(screen.getByTestId('picked')).toHaveTextContent('1'));
    withOpinions.unmount();

    renderWithProviders(<Picked probe={{ key: 'test-none', has: () => Promise.resolve(false) }} />);
    await waitFor(() => expect(screen.getByTestId('picked')).toHaveTextContent('2'));
  });
});
