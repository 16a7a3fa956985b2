import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';

import i18n from '../i18n';
import { FORMULAS, formulaName } from './formulas';

describe('formulaName', () => {
  it('names every formula in both languages, never by its key', () => {
    for (const lang of ['zh-CN', 'en-US']) {
      const t = i18n.getFixedT(lang) as TFunction;
      for (const formula of FORMULAS) expect(formulaName(t, formula)).not.toMatch(/_|manual/);
    }
    const t = i18n.getFixedT('zh-CN') as TFunction;
    expect(FORMULAS.map((f) => formulaName(t, f))).toEqual([
      '手工录入',
      '信访化解率',
      '信访及时受理率',
      '信访按期办结率',
      '信访群众满意率',
      '信访参评率',
      '整改完成率',
      '目标责任完成率',
    ]);
    expect(formulaName(t, 'later_formula')).toBe('later_formula');
  });
});
