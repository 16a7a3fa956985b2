import type { AssessmentRead, CycleRead, ReportRead, RubricRead } from '../api/types';

/** Builders for the evaluation-setup schemas, typed by the generated client. */

export function rubric(overrides: Partial<RubricRead> = {}): RubricRead {
  return {
    id: 7,
    name: '乡镇党委书记抓基层党建工作测评表',
    version: 1,
    previous_id: null,
    item_count: 2,
    max_total: '100',
    frozen: false,
    cycle_count: 0,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    tier_fractions: { good: '1', fairly_good: '0.85', average: '0.7', poor: '0.5' },
    items: [
      { key: 'duty', title: '履行第一责任人职责', category: '责任落实', source: 'ballot', kind: 'score', max_points: '30', formula: null, description: '' },
      { key: 'overall', title: '总体评价', category: '总体评价', source: 'ballot', kind: 'tier', max_points: '70', formula: null, description: '' },
    ],
    vetoes: [],
    ...overrides,
  };
}

export function cycle(overrides: Partial<CycleRead> = {}): CycleRead {
  return {
    id: 1,
    name: '2013年上半年乡镇党委书记抓基层党建述职评议',
    period_start: '2013-01-01',
    period_end: '2013-06-30',
    report_due_date: '2013-07-10',
    stage: 'preparation',
    host_org: { id: 1, code: '410326', name: '汝阳县委' },
    rubric: { id: 7, name: '测评表', version: 1, max_total: '100' },
    report_counts: { total: 14, draft: 0, submitted: 14, returned: 0, accepted: 0 },
    created_at: '2024-01-01T00:00:00Z',
    stage_changed_at: '2024-01-01T00:00:00Z',
    grading: {
      method: 'thresholds',
      thresholds: { good: '0.9', fairly_good: '0.8', average: '0.6' },
      quotas: null,
      poor_vote_share: '0.3333',
      consequence_count: 1,
      min_ballots_shown: 3,
    },
    opinion_categories: ['班子建设'],
    groups: [
      { key: 'leaders', name: '上级领导', weight: '0.4', aggregation: 'mean', trim: 0, anonymous: false, expected: 7, quorum: 1, member_count: 7 },
      { key: 'deputies', name: '两代表一委员', weight: '0.3', aggregation: 'trimmed_mean', trim: 1, anonymous: true, expected: 24, quorum: 1, member_count: 24 },
      { key: 'members', name: '党员群众', weight: '0.3', aggregation: 'trimmed_mean', trim: 1, anonymous: true, expected: 60, quorum: 1, member_count: 0 },
    ],
    weight_sum: '1',
    next_gate: { stage: 'preparation', to: 'evaluation', ready: true, blockers: [] },
    can_manage: true,
    updated_at: '2024-01-01T00:00:00Z',
    ...overrides,
  };
}

export function report(overrides: Partial<ReportRead> = {}): ReportRead {
  return {
    id: 44,
    cycle_id: 1,
    cycle_name: '2013年上半年乡镇党委书记抓基层党建述职评议',
    org: { id: 5, code: '410326104', name: '小店镇' },
    position: 4,
    title: '小店镇党委书记抓基层党建工作述职报告',
    status: 'draft',
    submitted_at: null,
    reviewed_at: null,
    late: false,
    attachment_count: 0,
    has_video: false,
    body: '',
    video_url: null,
    review_comment: null,
    cycle_stage: 'preparation',
    report_due_date: '2013-07-10',
    attachments: [],
    can_edit: true,
    can_review: false,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    ...overrides,
  };
}

/** Report 44's indicators (one entered, one missing) and vetoes (one recorded, one not). */
export function assessment(overrides: Partial<AssessmentRead> = {}): AssessmentRead {
  return {
    report_id: 44,
    indicators: [
      {
        key: 'petition',
        title: '信访化解率',
        max_points: '10',
        formula: 'petition_resolution_rate',
        computed: false,
        points: '8.5',
        missing: false,
        set_at: '2013-07-20T02:30:00Z',
      },
      { key: 'ledger', title: '整改完成率', max_points: '10', formula: 'manual', computed: false, points: null, missing: true, set_at: null },
    ],
    vetoes: [
      { key: 'safety', title: '发生重大安全生产事故', vetoed: true, reason: '2013年5月发生矿难', set_at: '2013-07-21T08:00:00Z' },
      { key: 'mass', title: '发生群体性事件', vetoed: false, reason: null, set_at: null },
    ],
    indicator_total: '8.5',
    missing_count: 1,
    ...overrides,
  };
}
