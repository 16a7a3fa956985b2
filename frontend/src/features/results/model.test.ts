import { describe, expect, it } from 'vitest';

import i18n from '../../i18n';
import { explain, groupResult, resultItem } from '../../test/results';
import {
  blockersOf,
  describeTierRule,
  formulaName,
  explainSteps,
  formatShare,
  itemRadar,
  parseConsistencyFlag,
  tierColor,
  tierDistribution,
} from './model';

const t = i18n.t.bind(i18n);

describe('results model', () => {
  it('reads consistency flags as kind and group', () => {
    expect(parseConsistencyFlag('identical_ballots:deputies')).toEqual({ kind: 'identical_ballots', raw: 'identical_ballots:deputies', group: 'deputies' });
    expect(parseConsistencyFlag('group_divergence:leaders').kind).toBe('group_divergence');
    expect(parseConsistencyFlag('something_new:x').kind).toBe('other');
  });

  it('colours tiers, and grey for none', () => {
    expect(tierColor('good')).toBe('#389e0d');
    expect(tierColor('poor')).toBe('#cf1322');
    expect(tierColor(null)).toBe('#bfbfbf');
    expect(tierColor('unknown')).toBe('#bfbfbf');
  });

  it('formats shares as percentages', () => {
    expect(formatShare('0.8889')).toBe('88.9%');
    expect(formatShare('1')).toBe('100.0%');
    expect(formatShare(null)).toBe('—');
  });

  it("sets a report's item averages against the cycle's, each axis up to the item's maximum", () => {
    const data = {
      cycle_id: 1,
      items: [
        { key: 'duty', title: '履职情况', max_points: '40.00' },
        { key: 'overall', title: '总体评价', max_points: '60.00' },
      ],
      county: { duty: '30.50', overall: '51.00' },
      reports: [{ report_id: 7, org_name: '城关镇', averages: { duty: '35.25', overall: '42.00' }, withheld: false }],
    };
    expect(itemRadar(data, 7)).toEqual({
      axes: [
        { name: '履职情况', max: 40 },
        { name: '总体评价', max: 60 },
      ],
      mine: [35.25, 42],
      county: [30.5, 51],
    });
    expect(itemRadar(data, 8)).toBeNull();
    expect(itemRadar({ ...data, items: [] }, 7)).toBeNull();
  });

  it('counts tiers in order, with the incomplete ones last', () => {
    const items = [
      resultItem({ report_id: 1, tier: 'poor' }),
      resultItem({ report_id: 2, tier: null, incomplete: true }),
      resultItem({ report_id: 3, tier: 'good' }),
      resultItem({ report_id: 4, tier: 'poor' }),
    ];
    expect(tierDistribution(items)).toEqual([
      { tier: 'good', count: 1 },
      { tier: 'poor', count: 2 },
      { tier: null, count: 1 },
    ]);
  });

  it('names what blocks publication: incomplete reports, and groups short of quorum with their counts', () => {
    const items = [
      resultItem({ report_id: 1, org_name: '柏树乡', incomplete: true, quorum_ok: false, groups: [] }),
      resultItem({
        report_id: 2,
        org_name: '内埠镇',
        quorum_ok: false,
        groups: [groupResult({ name: '党员群众', ballots: 3, quorum: 5, quorum_ok: false }), groupResult({ name: '上级领导' })],
      }),
      resultItem({ report_id: 3 }),
    ];
    expect(blockersOf(items)).toEqual([
      { kind: 'incomplete', orgName: '柏树乡', groups: [] },
      { kind: 'quorum', orgName: '内埠镇', groups: ['党员群众 3/5'] },
    ]);
  });

  it('describes each tier rule', () => {
    expect(describeTierRule(t, 'quota')).toBe('按比例评定（依位次）');
    expect(describeTierRule(t, 'veto:safety,discipline')).toBe('一票否决（safety,discipline），定为较差');
    expect(describeTierRule(t, 'poor_vote_share', '0.3333')).toBe('“较差”票占比达到 33.3%，定为较差');
    expect(describeTierRule(t, null)).toBe('未评定等次');
  });

  it('names vetoes and formulas, never their keys', () => {
    const titles = { safety: '发生重大安全事故', discipline: '违反廉洁纪律' };
    expect(describeTierRule(t, 'veto:safety,discipline', undefined, titles)).toBe('一票否决（发生重大安全事故、违反廉洁纪律），定为较差');
    expect(formulaName(t, 'petition_resolution_rate')).toBe('信访化解率');
    expect(formulaName(t, 'ledger_completion')).toBe('整改完成率');
    expect(formulaName(t, 'manual')).toBe('手工录入');
    expect(formulaName(t, null)).toBe('手工录入');
  });

  it('explains an incomplete report without a total', () => {
    const steps = explainSteps(
      t,
      explain({
        groups: [],
        ballot_part: null,
        weight_sum: null,
        total: null,
        tier: null,
        tier_rule: null,
        rank: null,
        poor_share: null,
        indicators: [],
      }),
    );
    expect(steps).toEqual(['指标得分 = 0.00', '各评议组均无选票：不排名，不评定等次']);
  });
});
