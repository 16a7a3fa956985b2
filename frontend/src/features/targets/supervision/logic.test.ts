import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';

import i18n from '../../../i18n';
import { ANLE, bulletin, completion, GUCHENG, LILOU, programme, report } from '../../../test/supervision';
import {
  bulletinActions,
  bulletinSeries,
  defaultMonth,
  findingOverdue,
  LIGHT_COLOURS,
  mayReport,
  maySupervise,
  monthEnd,
  monthLabel,
  monthLocked,
  previewFigures,
  programmeMonths,
  reportRows,
} from './logic';

describe('months of a programme', () => {
  const p = programme({ period_start: '2013-09-10', period_end: '2014-01-15' });

  it('lists every month the period touches, across the year', () => {
    expect(programmeMonths(p)).toEqual(['2013-09', '2013-10', '2013-11', '2013-12', '2014-01']);
  });

  it('opens on today’s month when in the period, else the nearer end', () => {
    expect(defaultMonth(p, '2013-11-05')).toBe('2013-11');
    expect(defaultMonth(p, '2026-12-04')).toBe('2014-01');
    expect(defaultMonth(p, '2013-01-01')).toBe('2013-09');
  });

  it('computes a month on its last day, kept inside the period', () => {
    expect(monthEnd('2013-10', p)).toBe('2013-10-31');
    expect(monthEnd('2014-01', p)).toBe('2014-01-15');
    expect(monthEnd('2013-09', p)).toBe('2013-09-30');
  });

  it('names a month in the reader’s language', () => {
    expect(monthLabel(i18n.getFixedT('zh-CN') as TFunction, '2013-09')).toBe('2013年9月');
    expect(monthLabel(i18n.getFixedT('en-US') as TFunction, '2013-09')).toBe('2013-9');
  });
});

describe('monthly reports', () => {
  it('lists the units that reported and those that have not (未报送), in code order, each once', () => {
    const rows = reportRows([report({ org: LILOU })], [GUCHENG, ANLE, LILOU]);
    expect(rows.map((row) => [row.org.name, row.report !== null])).toEqual([
      ['安乐镇', false],
      ['李楼镇', true],
      ['古城办', false],
    ]);
  });

  it('knows a month is locked once its bulletin is published', () => {
    expect(monthLocked([report()])).toBe(false);
    expect(monthLocked([report(), report({ id: 8, org: LILOU, locked: true })])).toBe(true);
  });

  it('offers the report to a unit’s secretary, a clerk of the unit and the managers, never once locked or while not active', () => {
    const row = { org: ANLE, report: null };
    const secretary = { role: 'secretary', org_id: ANLE.id };
    expect(mayReport(secretary, programme(), row)).toBe(true);
    expect(mayReport(secretary, programme({ status: 'draft' }), row)).toBe(false);
    expect(mayReport(secretary, programme(), { org: ANLE, report: report({ locked: true }) })).toBe(false);
    expect(mayReport({ role: 'leader', org_id: 1 }, programme(), row)).toBe(false);
    expect(mayReport({ role: 'clerk', org_id: 9 }, programme(), row)).toBe(false);
    expect(mayReport({ role: 'clerk', org_id: ANLE.id }, programme(), row)).toBe(true);
    expect(mayReport({ role: 'clerk', org_id: 1 }, programme({ may_manage: true }), row)).toBe(true);
    expect(mayReport(undefined, programme({ may_manage: true }), row)).toBe(false);
  });

  it('previews a unit’s figures as the pipeline gives them on the month’s end, a measure without a target marked', () => {
    expect(previewFigures(completion(), LILOU.id)).toEqual({
      measures: [
        { key: 'signed_projects', name: '签约项目数', unit: '个', target: '4', actual: '3', completion: '0.750000' },
        { key: 'started_projects', name: '开工项目数', unit: '个', target: '2', actual: '1', completion: '0.500000' },
      ],
      weighted: '0.625000',
    });
    // A unit with no target at all: every measure without one, nothing done.
    expect(previewFigures(completion(), ANLE.id).measures.map((m) => [m.target, m.actual, m.completion])).toEqual([
      [null, '0', null],
      [null, '0', null],
    ]);
  });
});

describe('bulletins', () => {
  it('lets only who publishes publish a draft, withdraw a published one or delete a draft', () => {
    expect(bulletinActions(bulletin({ may_publish: false, status: 'draft' }))).toEqual({ publish: false, withdraw: false, remove: false });
    expect(bulletinActions(bulletin({ may_publish: false, status: 'published' }))).toEqual({ publish: false, withdraw: false, remove: false });
    expect(bulletinActions(bulletin({ may_publish: true, status: 'draft' }))).toEqual({ publish: true, withdraw: false, remove: true });
    expect(bulletinActions(bulletin({ may_publish: true, status: 'published' }))).toEqual({ publish: false, withdraw: true, remove: false });
  });

  it('charts the ranked units in percent, each bar its light’s colour, against the pace', () => {
    const b = bulletin();
    const unranked = { ...b.units[0]!, org: LILOU, weighted_completion: null, rank: null, light: null };
    expect(bulletinSeries({ ...b, units: [...b.units, unranked] })).toEqual({
      names: ['安乐镇', '古城办'],
      values: [75, 20],
      colours: [LIGHT_COLOURS.green, LIGHT_COLOURS.red],
      pace: 50.4,
    });
  });
});

describe('supervision', () => {
  it('lets the managers and the host’s leaders record, no one else', () => {
    expect(maySupervise({ role: 'clerk', org_id: 1 }, programme({ may_manage: true }))).toBe(true);
    expect(maySupervise({ role: 'leader', org_id: 1 }, programme())).toBe(true);
    expect(maySupervise({ role: 'leader', org_id: ANLE.id }, programme())).toBe(false);
    expect(maySupervise({ role: 'secretary', org_id: ANLE.id }, programme())).toBe(false);
    expect(maySupervise(undefined, programme())).toBe(false);
  });

  it('marks a finding overdue past its deadline until its item is done, verified or set aside', () => {
    const item = (status: 'open' | 'in_progress' | 'done' | 'verified' | 'rejected') => ({ deadline: '2013-11-15', item: { status } });
    expect(findingOverdue(item('open'), '2013-11-15')).toBe(false);
    expect(findingOverdue(item('open'), '2013-11-16')).toBe(true);
    expect(findingOverdue(item('in_progress'), '2013-11-16')).toBe(true);
    expect(findingOverdue(item('done'), '2013-11-16')).toBe(false);
    expect(findingOverdue(item('verified'), '2013-11-16')).toBe(false);
    expect(findingOverdue(item('rejected'), '2013-11-16')).toBe(false);
  });
});
