/** Builders for the paper-ballot API's answers, typed by the schema. */
import type { PaperForm, PaperPair, Reconciliation } from '../features/meetings/paper';

export function paperForm(overrides: Partial<PaperForm> = {}): PaperForm {
  return {
    meeting_id: 7,
    meeting_title: '2026 年度述职评议大会',
    status: 'live',
    reports: [{ report_id: 11, org_name: '小店镇党委', title: '2026 年度述职报告', voting: 'closed', voted: false }],
    groups: [{ key: 'members', name: '党员群众' }],
    items: [
      { key: 'duty', title: '履行主体责任', kind: 'score', max_points: '20.00', description: null },
      { key: 'overall', title: '总体评价', kind: 'tier', max_points: '10.00', description: null },
    ],
    opinion_categories: ['作风建设'],
    entered: { '1': 0, '2': 0 },
    entered_by_me: { '1': 0, '2': 0 },
    ...overrides,
  };
}

export function pair(overrides: Partial<PaperPair> = {}): PaperPair {
  const copy = { group_key: 'members', comment: null, comment_category: null };
  return {
    sheet_no: 'P007',
    report_id: 11,
    first: { ...copy, items: { duty: '18', overall: 'average' }, entered_by_me: false },
    second: { ...copy, items: { duty: '19', overall: 'average' }, entered_by_me: true },
    ...overrides,
  };
}

export function reconciliation(overrides: Partial<Reconciliation> = {}): Reconciliation {
  return {
    matched: 3,
    counted: 0,
    differences: [{ sheet_no: 'P007', report_id: 11, field: 'items.duty', first: '18', second: '19' }],
    only_in_first: [],
    only_in_second: [],
    disputed: [pair()],
    ...overrides,
  };
}
