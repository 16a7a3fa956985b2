import { describe, expect, it } from 'vitest';

import type { ProgrammeRead, TargetRead } from '../../api/types';
import { CHENGGUAN, COUNTY, project, XIAODIAN } from '../../test/targets';
import {
  byStage,
  cellKey,
  clampDay,
  defaultProgramme,
  direction,
  filterProjects,
  gridFromTargets,
  gridsDiffer,
  gridToPut,
  invalidCells,
  isMoveBack,
  lastMoveDay,
  percent,
  plain,
  setCell,
  suggestMeasureKey,
} from './logic';

function target(org: typeof XIAODIAN, measure_key: string, value: string): TargetRead {
  return { org, measure_key, value };
}

describe('the grid of targets', () => {
  const saved = gridFromTargets([target(XIAODIAN, 'landed_projects', '2.00'), target(CHENGGUAN, 'signed_projects', '3.00')]);

  it('reads the targets into cells by unit and measure', () => {
    expect(saved).toEqual({ [cellKey(12, 'landed_projects')]: '2.00', [cellKey(11, 'signed_projects')]: '3.00' });
  });

  it('empties a cell to remove the target rather than set it to 0', () => {
    const next = setCell(saved, cellKey(12, 'landed_projects'), '  ');
    expect(next).toEqual({ '11:signed_projects': '3.00' });
    expect(gridToPut(next)).toEqual({ targets: [{ org_id: 11, measure_key: 'signed_projects', value: '3.00' }] });
    // The saved grid is left as it was.
    expect(saved['12:landed_projects']).toBe('2.00');
  });

  it('sends every filled cell, trimmed, in a stable order', () => {
    const next = setCell(setCell(saved, cellKey(11, 'landed_projects'), ' 1 '), cellKey(12, 'signed_projects'), '0');
    expect(gridToPut(next).targets).toEqual([
      { org_id: 11, measure_key: 'landed_projects', value: '1' },
      { org_id: 11, measure_key: 'signed_projects', value: '3.00' },
      { org_id: 12, measure_key: 'landed_projects', value: '2.00' },
      { org_id: 12, measure_key: 'signed_projects', value: '0' },
    ]);
  });

  it('finds the cells the API would refuse', () => {
    let grid = setCell(saved, cellKey(11, 'landed_projects'), '-1');
    grid = setCell(grid, cellKey(12, 'signed_projects'), '1.234');
    grid = setCell(grid, cellKey(12, 'amount'), '两个');
    grid = setCell(grid, cellKey(11, 'amount'), '1200.5');
    expect(invalidCells(grid).sort()).toEqual(['11:landed_projects', '12:amount', '12:signed_projects']);
  });

  it('tells a change from the same figure written another way', () => {
    expect(gridsDiffer(setCell(saved, '12:landed_projects', '2'), saved)).toBe(false);
    expect(gridsDiffer(setCell(saved, '12:landed_projects', '2.5'), saved)).toBe(true);
    expect(gridsDiffer(setCell(saved, '12:landed_projects', ''), saved)).toBe(true);
    expect(gridsDiffer(setCell(saved, '10:landed_projects', '1'), saved)).toBe(true);
  });

  it('suggests a measure key from its stage and basis, numbered when taken', () => {
    expect(suggestMeasureKey('landed', 'projects', [])).toBe('landed_projects');
    expect(suggestMeasureKey('landed', 'projects', ['landed_projects', 'landed_projects_2'])).toBe('landed_projects_3');
  });
});

describe('the pipeline', () => {
  it('knows a move back', () => {
    expect(isMoveBack('landed', 'signed')).toBe(true);
    expect(isMoveBack('signed', 'producing')).toBe(false);
  });

  it('takes the last move day from the history, else the day talks began', () => {
    const moved = project({
      stage: 'landed',
      history: [
        { from_stage: null, to_stage: 'negotiating', on_date: '2013-09-02', reason: '', recorded_at: '2013-09-02T02:00:00Z' },
        { from_stage: 'negotiating', to_stage: 'landed', on_date: '2013-10-08', reason: '', recorded_at: '2013-10-08T02:00:00Z' },
      ],
    });
    expect(lastMoveDay(moved)).toBe('2013-10-08');
    expect(lastMoveDay(project({ history: [] }))).toBe('2013-09-02');
  });

  it('filters by unit, team, stage, industry and a search on company or origin', () => {
    const projects = [
      project({ id: 1 }),
      project({ id: 2, org: CHENGGUAN, team_id: 5, industry: '新材料', origin_region: '京津冀', stage: 'signed', company: '中铝洛铜' }),
    ];
    expect(filterProjects(projects, {}).map((p) => p.id)).toEqual([1, 2]);
    expect(filterProjects(projects, { orgId: 11 }).map((p) => p.id)).toEqual([2]);
    expect(filterProjects(projects, { teamId: 5 }).map((p) => p.id)).toEqual([2]);
    expect(filterProjects(projects, { stage: 'negotiating' }).map((p) => p.id)).toEqual([1]);
    expect(filterProjects(projects, { industry: '轴承' }).map((p) => p.id)).toEqual([1]);
    expect(filterProjects(projects, { q: '京津' }).map((p) => p.id)).toEqual([2]);
    expect(filterProjects(projects, { q: '轴研' }).map((p) => p.id)).toEqual([1]);
  });

  it('puts each project in its stage column, newest talks first', () => {
    const columns = byStage([
      project({ id: 1, negotiating_date: '2013-09-01' }),
      project({ id: 2, negotiating_date: '2013-09-20' }),
      project({ id: 3, stage: 'producing' }),
    ]);
    expect(columns.negotiating.map((p) => p.id)).toEqual([2, 1]);
    expect(columns.producing.map((p) => p.id)).toEqual([3]);
    expect(columns.landed).toEqual([]);
  });
});

describe('days, programmes and figures', () => {
  it('keeps the day inside the period', () => {
    expect(clampDay('2026-12-04', '2013-09-01', '2013-12-31')).toBe('2013-12-31');
    expect(clampDay('2013-08-01', '2013-09-01', '2013-12-31')).toBe('2013-09-01');
    expect(clampDay('2013-10-15', '2013-09-01', '2013-12-31')).toBe('2013-10-15');
  });

  it('opens on the programme asked for, else the first active one, else the newest', () => {
    const base = { host: COUNTY, office: null, period_start: '2013-09-01', period_end: '2013-12-31', may_manage: true, may_publish: true, created_at: '', updated_at: '' };
    const programmes: ProgrammeRead[] = [
      { ...base, id: 3, name: '草稿', status: 'draft' },
      { ...base, id: 2, name: '招商引资', status: 'active' },
    ];
    expect(defaultProgramme(programmes, 3)?.id).toBe(3);
    expect(defaultProgramme(programmes, 99)?.id).toBe(2);
    expect(defaultProgramme([programmes[0]!])?.id).toBe(3);
    expect(defaultProgramme([])).toBeUndefined();
  });

  it('shows ratios as percentages rounded half up on the exact digits', () => {
    expect(percent('1.000000')).toBe('100.0%');
    expect(percent('0.456750')).toBe('45.7%');
    expect(percent('0.456749')).toBe('45.7%');
    expect(percent('0.456850')).toBe('45.7%');
    expect(percent('0.45685')).toBe('45.7%');
    expect(percent('0.4565')).toBe('45.7%');
    expect(percent('0.4564')).toBe('45.6%');
    expect(percent('1.5')).toBe('150.0%');
    expect(percent('-0.125')).toBe('-12.5%');
    expect(percent('0')).toBe('0.0%');
    expect(percent(null)).toBe('—');
  });

  it('drops trailing zeros and says which way a change went', () => {
    expect(plain('12.50')).toBe('12.5');
    expect(plain('3.00')).toBe('3');
    expect(plain('300')).toBe('300');
    expect(direction('0.125000')).toBe('up');
    expect(direction('-0.01')).toBe('down');
    expect(direction('0.000000')).toBe('same');
    expect(direction(null)).toBeNull();
  });
});
