/** Builders for the target programmes API's answers, typed by the schema. */
import type { CompletionRead, MeasureRead, ProgrammeRead, ProjectRead, UnitCompletion } from '../api/types';

export const XIAODIAN = { id: 12, code: '410326104', name: '小店镇' };
export const CHENGGUAN = { id: 11, code: '410326101', name: '城关镇' };
export const COUNTY = { id: 1, code: '410326', name: '汝阳县委' };

export function programme(overrides: Partial<ProgrammeRead> = {}): ProgrammeRead {
  return {
    id: 3,
    name: '2013年招商引资目标责任',
    host: COUNTY,
    office: null,
    period_start: '2013-09-01',
    period_end: '2013-12-31',
    status: 'active',
    may_manage: true,
    may_publish: true,
    created_at: '2013-08-20T02:00:00Z',
    updated_at: '2013-08-20T02:00:00Z',
    ...overrides,
  };
}

export function measure(overrides: Partial<MeasureRead> = {}): MeasureRead {
  return {
    id: 1,
    programme_id: 3,
    key: 'landed_projects',
    name: '落地项目数',
    unit: '个',
    more_is_better: true,
    weight: '1.0000',
    stage: 'landed',
    basis: 'projects',
    position: 0,
    ...overrides,
  };
}

export function project(overrides: Partial<ProjectRead> = {}): ProjectRead {
  return {
    id: 1,
    programme_id: 3,
    org: XIAODIAN,
    team_id: null,
    company: '洛阳轴研科技',
    industry: '轴承',
    origin_region: '长三角',
    ranking: 'none',
    contract_amount: '0.00',
    funds_in_place: '0.00',
    stage: 'negotiating',
    negotiating_date: '2013-09-02',
    signed_date: null,
    landed_date: null,
    started_date: null,
    producing_date: null,
    evidence: '',
    history: [{ from_stage: null, to_stage: 'negotiating', on_date: '2013-09-02', reason: '', recorded_at: '2013-09-02T02:00:00Z' }],
    created_at: '2013-09-02T02:00:00Z',
    updated_at: '2013-09-02T02:00:00Z',
    ...overrides,
  };
}

export function unitCompletion(overrides: Partial<UnitCompletion> = {}): UnitCompletion {
  return {
    org: XIAODIAN,
    measures: [{ measure_key: 'landed_projects', target: '2.00', actual: '1', completion: '0.500000', light: 'yellow', previous_actual: '0' }],
    weighted_completion: '0.500000',
    rank: 1,
    light: 'yellow',
    previous_weighted_completion: '0.000000',
    change: '0.500000',
    landed_projects: 1,
    no_project_landed: false,
    ...overrides,
  };
}

export function completion(overrides: Partial<CompletionRead> = {}): CompletionRead {
  return {
    programme_id: 3,
    as_of: '2013-10-31',
    previous_as_of: '2013-09-30',
    expected_pace: '0.500000',
    measures: [measure()],
    units: [unitCompletion()],
    ...overrides,
  };
}
