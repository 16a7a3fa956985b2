import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { LedgerBoard, LedgerFigures } from '../../../api/types';
import i18n from '../../../i18n';
import { renderWithProviders } from '../../../test/render';
import { BoardView, orgSummary } from './BoardView';

const FIGURES: LedgerFigures = {
  total: 38,
  open: 5,
  in_progress: 10,
  done: 8,
  verified: 9,
  rejected: 6,
  overdue: 4,
  due_soon: 1,
  completion_rate: '0.28125',
};

const BOARD: LedgerBoard = {
  cycle: { id: 1, name: '2013年上半年' },
  cycles: [{ id: 1, name: '2013年上半年' }],
  as_of: '2013-12-31',
  total: { ...FIGURES, total: 551, verified: 152, in_progress: 102, rejected: 40, overdue: 75, completion_rate: '0.297456' },
  orgs: [
    { org: { id: 2, code: '410326101', name: '城关镇' }, figures: FIGURES, items: [] },
    { org: { id: 3, code: '410326105', name: '三屯镇' }, figures: { ...FIGURES, total: 10, verified: 1, rejected: 0, overdue: 0, completion_rate: '0.27' }, items: [] },
  ],
};

describe('public board', () => {
  it('gives every rate with one decimal, the headline and each township alike', () => {
    renderWithProviders(<BoardView board={BOARD} />);
    expect(within(screen.getByTestId('board-completion_rate')).getByText('29.7%')).toBeInTheDocument();
    // 0.27 is "27.0%", as 0.28125 is "28.1%": not "27%" beside "28.1%".
    expect(screen.getByLabelText('三屯镇完成率')).toHaveTextContent('27.0%');
    expect(screen.getByLabelText('城关镇完成率')).toHaveTextContent('28.1%');
  });

  it('counts the items not to be rectified and says how the rate treats them', () => {
    renderWithProviders(<BoardView board={BOARD} />);
    expect(within(screen.getByTestId('board-rejected')).getByText('不予整改')).toBeInTheDocument();
    expect(within(screen.getByTestId('board-rejected')).getByText('40')).toBeInTheDocument();
    expect(screen.getByTestId('board-rate-note')).toHaveTextContent('不予整改的事项计入事项总数并单独列出，不计入完成率');
    expect(screen.getByTestId('board-orgs')).toHaveTextContent('整改事项 38 · 已验收 9 · 不予整改 6 · 超期 4');
  });

  it('names in a township’s line only the outcomes it has', () => {
    const t = i18n.t.bind(i18n);
    const cases: [LedgerFigures, string][] = [
      [FIGURES, '整改事项 38 · 已验收 9 · 不予整改 6 · 超期 4'],
      [{ ...FIGURES, rejected: 0 }, '整改事项 38 · 已验收 9 · 超期 4'],
      [{ ...FIGURES, overdue: 0 }, '整改事项 38 · 已验收 9 · 不予整改 6'],
    ];
    for (const [figures, line] of cases) expect(orgSummary(t, figures)).toBe(line);
  });
});
