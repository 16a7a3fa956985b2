/** Builders for the results API's answers, typed by the schema. */
import type { ExplainRead, GroupResult, NoticeRead, OrgHistory, ResultItem, ResultsRead, ResultsSummary } from '../api/types';

export function groupResult(overrides: Partial<GroupResult> = {}): GroupResult {
  return {
    key: 'deputies',
    name: '两代表一委员',
    weight: '0.3',
    ballots: 9,
    dropped: 2,
    score: '83.17',
    approval_rate: '0.8889',
    tier_counts: { good: 3, fairly_good: 5, average: 1, poor: 0 },
    quorum: 5,
    quorum_ok: true,
    ...overrides,
  };
}

export function resultItem(overrides: Partial<ResultItem> = {}): ResultItem {
  const id = overrides.report_id ?? 1;
  return {
    report_id: id,
    org_id: 100 + id,
    org_code: `41032610${id}`,
    org_name: `乡镇${id}`,
    total: '84.96',
    max_total: '100.00',
    ballot_part: '84.96',
    tier: 'fairly_good',
    rank: id,
    flagged: false,
    vetoed: false,
    tier_rule: 'thresholds',
    indicator_points: '0.00',
    missing_indicators: [],
    incomplete: false,
    quorum_ok: true,
    consistency_flags: [],
    groups: [
      groupResult({ key: 'leaders', name: '上级领导', weight: '0.4', ballots: 4, dropped: 0, score: '85.13', quorum: 3 }),
      groupResult(),
      groupResult({ key: 'members', name: '党员群众', ballots: 8, score: '86.53' }),
    ],
    ...overrides,
  };
}

export function results(overrides: Partial<ResultsRead> = {}): ResultsRead {
  return {
    cycle_id: 3,
    status: 'computed',
    computed_at: '2013-07-10T02:00:00Z',
    published_at: null,
    hash: 'a'.repeat(64),
    max_total: '100.00',
    reports: 4,
    publishable: true,
    blockers: [],
    offset: 0,
    limit: null,
    items: [
      resultItem({ report_id: 1, org_name: '城关镇', total: '91.20', tier: 'good', rank: 1 }),
      resultItem({ report_id: 2, org_name: '上店镇', total: '84.96', tier: 'fairly_good', rank: 2 }),
      resultItem({ report_id: 3, org_name: '付店镇', total: '70.00', tier: 'average', rank: 3 }),
      resultItem({ report_id: 4, org_name: '新村乡', total: '45.33', tier: 'poor', rank: 4, flagged: true }),
    ],
    ...overrides,
  };
}

/** What compute, publish and reopen answer: the summary of `results(overrides)`. */
export function resultsSummary(overrides: Partial<ResultsRead> = {}): ResultsSummary {
  const { cycle_id, status, computed_at, published_at, hash, max_total, reports, publishable, blockers } = results(overrides);
  return { cycle_id, status, computed_at, published_at, hash, max_total, reports, publishable, blockers };
}

export function explain(overrides: Partial<ExplainRead> = {}): ExplainRead {
  return {
    report_id: 1,
    org_name: '城关镇',
    groups: [
      {
        key: 'leaders',
        name: '上级领导',
        aggregation: 'mean',
        trim: 0,
        weight: '0.4000',
        ballots: [
          { ref: 'R-L1', total: '80.00', dropped: false, first_tier: 'good' },
          { ref: 'R-L2', total: '90.00', dropped: false, first_tier: 'good' },
        ],
        ballot_count: 2,
        kept: 2,
        score: '85.00',
        weighted: '34.00',
      },
      {
        key: 'deputies',
        name: '两代表一委员',
        aggregation: 'trimmed_mean',
        trim: 1,
        weight: '0.3000',
        ballots: [
          { ref: 'R-D1', total: '81.30', dropped: false, first_tier: 'fairly_good' },
          { ref: 'R-D2', total: '90.00', dropped: true, first_tier: 'good' },
          { ref: 'R-D3', total: '78.40', dropped: false, first_tier: 'fairly_good' },
          { ref: 'R-D4', total: '76.90', dropped: true, first_tier: 'poor' },
        ],
        ballot_count: 4,
        kept: 2,
        score: '79.85',
        weighted: '23.96',
      },
      {
        key: 'members',
        name: '党员群众',
        aggregation: 'trimmed_mean',
        trim: 1,
        weight: '0.3000',
        ballots: [],
        ballot_count: 0,
        kept: 0,
        score: null,
        weighted: null,
      },
    ],
    weight_sum: '0.7000',
    ballot_part: '82.81',
    ballot_part_rule: 'Σ w(g)·G(r,g) / Σ w(g) over the groups with at least one ballot',
    indicators: [{ key: 'ledger', title: 'ledger', formula: null, max_points: '10.00', points: null, missing: true }],
    indicator_points: '0.00',
    total: '82.81',
    vetoes: {},
    poor_share: '0.1667',
    poor_share_withheld: false,
    poor_vote_share_limit: '0.3333',
    min_ballots_shown: 3,
    tier: 'fairly_good',
    tier_rule: 'thresholds',
    rank: 1,
    flagged: false,
    steps: ['上级领导: mean of 2 = 85.00; × 0.4 = 34.00'],
    ...overrides,
  };
}

export function notice(overrides: Partial<NoticeRead> = {}): NoticeRead {
  return {
    id: 5,
    cycle_id: 3,
    report_id: 4,
    org_id: 104,
    org_name: '新村乡',
    number: '汝组整〔2013〕1号',
    findings: '综合评价排名末位',
    measures: '限期整改',
    deadline_date: '2013-08-31',
    status: 'issued',
    overdue: false,
    issued_at: '2013-08-01T02:00:00Z',
    acknowledged_at: null,
    ...overrides,
  };
}

export function orgHistory(overrides: Partial<OrgHistory> = {}): OrgHistory {
  return {
    org_id: 104,
    org_name: '新村乡',
    entries: [
      { cycle_id: 1, cycle_name: '2012年下半年', period_end: '2012-12-31', total: '60.10', tier: 'average', rank: 7, reports: 8, flagged: true, flagged_twice: false },
      { cycle_id: 3, cycle_name: '2013年上半年', period_end: '2013-06-30', total: '45.33', tier: 'poor', rank: 8, reports: 8, flagged: true, flagged_twice: true },
    ],
    flagged_consecutively: true,
    ...overrides,
  };
}
