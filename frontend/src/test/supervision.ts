/** Builders for the supervision API's answers in tests, typed by the schema. */
import type { CompletionRead, ProgrammeRead } from '../api/types';
import type { Bulletin, BulletinUnit, Finding, MonthlyReport, SupervisionRound } from '../features/targets/supervision/types';

export const HOST = { id: 1, code: '410311', name: '洛龙区委' };
export const ANLE = { id: 21, code: '410311101', name: '安乐镇' };
export const LILOU = { id: 22, code: '410311102', name: '李楼镇' };
export const GUCHENG = { id: 23, code: '410311105', name: '古城办' };

export function programme(overrides: Partial<ProgrammeRead> = {}): ProgrammeRead {
  return {
    id: 3,
    name: '2013年招商引资目标责任',
    host: HOST,
    office: { id: 9, code: '410311-D01', name: '区商务局' },
    period_start: '2013-09-01',
    period_end: '2013-12-31',
    status: 'active',
    may_manage: false,
    may_publish: false,
    created_at: '2013-08-20T02:00:00Z',
    updated_at: '2013-08-20T02:00:00Z',
    ...overrides,
  };
}

export function report(overrides: Partial<MonthlyReport> = {}): MonthlyReport {
  return {
    id: 7,
    programme_id: 3,
    org: ANLE,
    month: '2013-10',
    as_of: '2013-10-31',
    figures: [
      { measure_key: 'signed_projects', name: '签约项目数', unit: '个', target: '4', actual: '2', completion: '0.500000' },
      { measure_key: 'started_projects', name: '开工项目数', unit: '个', target: null, actual: '0', completion: null },
    ],
    weighted_completion: '0.50000000',
    note: '本月新签约两个项目',
    submitted_at: '2013-11-02T01:30:00Z',
    submitted_by_name: '安乐镇党委秘书',
    updated_at: '2013-11-02T01:30:00Z',
    locked: false,
    ...overrides,
  };
}

export function unit(overrides: Partial<BulletinUnit> = {}): BulletinUnit {
  return {
    org: ANLE,
    measures: [{ measure_key: 'signed_projects', target: '4', actual: '3', completion: '0.750000', light: 'green' }],
    weighted_completion: '0.750000',
    rank: 1,
    light: 'green',
    previous_weighted_completion: '0.500000',
    change: '0.250000',
    landed_projects: 2,
    no_project_landed: false,
    ...overrides,
  };
}

export function bulletin(overrides: Partial<Bulletin> = {}): Bulletin {
  return {
    id: 11,
    programme_id: 3,
    programme: { id: 3, name: '2013年招商引资目标责任' },
    month: '2013-10-01',
    number: 2,
    as_of: '2013-10-31',
    organ: '洛龙区商务局',
    doc_number: '洛商务通〔2013〕2号',
    title: '关于2013年10月份招商引资目标责任完成情况的通报',
    expected_pace: '0.504132',
    red_below: '0.6',
    previous: { month: '2013-09-01', as_of: '2013-09-30', number: 1 },
    measures: [{ key: 'signed_projects', name: '签约项目数', unit: '个', weight: '1', more_is_better: true }],
    units: [
      unit(),
      unit({
        org: GUCHENG,
        measures: [{ measure_key: 'signed_projects', target: '5', actual: '1', completion: '0.200000', light: 'red' }],
        weighted_completion: '0.200000',
        rank: 2,
        light: 'red',
        previous_weighted_completion: '0.300000',
        change: '-0.100000',
        landed_projects: 0,
        no_project_landed: true,
      }),
    ],
    counts: { green: 1, yellow: 0, red: 1, unranked: 0 },
    summary: '截至10月底，全区签约项目4个。',
    status: 'draft',
    published_at: null,
    may_publish: false,
    created_at: '2013-11-01T02:00:00Z',
    updated_at: '2013-11-01T02:00:00Z',
    ...overrides,
  };
}

export function completion(overrides: Partial<CompletionRead> = {}): CompletionRead {
  return {
    programme_id: 3,
    as_of: '2013-10-31',
    previous_as_of: '2013-09-30',
    expected_pace: '0.504132',
    measures: [
      { id: 1, programme_id: 3, key: 'signed_projects', name: '签约项目数', unit: '个', more_is_better: true, weight: '1', stage: 'signed', basis: 'projects', position: 0 },
      { id: 2, programme_id: 3, key: 'started_projects', name: '开工项目数', unit: '个', more_is_better: true, weight: '1', stage: 'started', basis: 'projects', position: 1 },
    ],
    units: [
      {
        org: LILOU,
        measures: [
          { measure_key: 'signed_projects', target: '4', actual: '3', completion: '0.750000', light: 'green', previous_actual: '1' },
          { measure_key: 'started_projects', target: '2', actual: '1', completion: '0.500000', light: 'yellow', previous_actual: '0' },
        ],
        weighted_completion: '0.625000',
        rank: 1,
        light: 'green',
        previous_weighted_completion: '0.250000',
        change: '0.375000',
        landed_projects: 1,
        no_project_landed: false,
      },
    ],
    ...overrides,
  };
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 5,
    round_id: 4,
    org: GUCHENG,
    visited_on: '2013-10-15',
    finding: '签约项目推进缓慢，未落实专人跟踪',
    deadline: '2013-11-15',
    item: { id: 301, cycle_id: 2, status: 'open', due_date: '2013-11-15' },
    created_at: '2013-10-15T08:00:00Z',
    ...overrides,
  };
}

export function round(overrides: Partial<SupervisionRound> = {}): SupervisionRound {
  return {
    id: 4,
    programme_id: 3,
    body: 'congress',
    title: '区人大常委会招商引资专题督查',
    started_on: '2013-10-15',
    ended_on: '2013-10-16',
    summary: '实地查看了各单位的在建项目',
    findings: [finding()],
    may_supervise: false,
    created_at: '2013-10-16T08:00:00Z',
    updated_at: '2013-10-16T08:00:00Z',
    ...overrides,
  };
}
