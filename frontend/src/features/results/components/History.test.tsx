import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { renderWithProviders } from '../../../test/render';
import { orgHistory } from '../../../test/results';
import { HistoryTable, totalAxis } from './History';

describe('history chart', () => {
  it('runs the total’s axis from 0 to the highest rubric maximum, or fits it to the totals while none is known', () => {
    const cases: [(string | undefined)[], ReturnType<typeof totalAxis>][] = [
      [['100.00', '100.00'], { min: 0, max: 100 }],
      [['95.00', '100.00'], { min: 0, max: 100 }],
      [['', '105.50'], { min: 0, max: 105.5 }],
      [[undefined, ''], { scale: true }],
      [[], { scale: true }],
    ];
    for (const [maxima, axis] of cases) expect(totalAxis(maxima)).toEqual(axis);
  });
});

describe('history table', () => {
  it('names each cycle and shows no period end under a deadline’s name', () => {
    renderWithProviders(<HistoryTable entries={orgHistory().entries} />);
    const table = screen.getByTestId('history-table');
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((header) => header.textContent);
    expect(headers).not.toContain('截止日期');
    expect(within(table).queryByText('2013-06-30')).toBeNull();
    expect(within(table).getByText('2013年上半年')).toBeInTheDocument();
  });
});
