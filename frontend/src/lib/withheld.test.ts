import { describe, expect, it } from 'vitest';

import i18n from '../i18n';
import { isWithheld, withheldText } from './withheld';

describe('withheld figures', () => {
  it('say why, with the cycle’s minimum, in the UI language', async () => {
    const t = i18n.getFixedT('zh-CN');
    expect(withheldText(t, { withheld: 'few_ballots', hidden_below: 3 })).toBe('不足 3 票，不显示');
    expect(withheldText(t, { withheld: 'complement', hidden_below: 5 })).toBe('不显示，以免推算出不足 5 票分组的得分');
    // A report's score (a flag) reads as too few ballots.
    expect(withheldText(t, { withheld: true, hidden_below: 4 })).toBe('不足 4 票，不显示');
    const en = i18n.getFixedT('en-US');
    expect(withheldText(en, { withheld: 'few_ballots', hidden_below: 3 })).toBe('Fewer than 3 ballots: not shown');
  });

  it('are told from shown ones', () => {
    expect(isWithheld({ withheld: 'few_ballots' })).toBe(true);
    expect(isWithheld({ withheld: true })).toBe(true);
    expect(isWithheld({ withheld: null })).toBe(false);
    expect(isWithheld({ withheld: false })).toBe(false);
    expect(isWithheld(undefined)).toBe(false);
  });
});
