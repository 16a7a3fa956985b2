import { describe, expect, it } from 'vitest';

import { ApiError } from '../../api/problem';
import i18n from '../../i18n';
import { meeting } from '../../test/meetings';
import { revealRefusal } from './reveal';

const refused = (extensions: Record<string, unknown> = {}) =>
  new ApiError('http', {
    type: 'https://shuping.example/problems/reveal-while-voting',
    title: 'Scores cannot be shown while a report is open for voting',
    status: 409,
    detail: 'Close voting first',
    extensions,
  });

describe('a reveal refused while voting is open', () => {
  const agenda = meeting().agenda;

  it('names the open reports’ organisations from the agenda', () => {
    const t = i18n.getFixedT('zh-CN');
    expect(revealRefusal(t, refused({ report_ids: [11, 12] }), agenda)).toBe('小店镇党委、城关镇党委正在投票：请先结束投票，再在大屏显示得分');
    expect(revealRefusal(i18n.getFixedT('en-US'), refused({ report_ids: [11] }), agenda)).toBe(
      'Voting is open on 小店镇党委: close it before showing the scores',
    );
  });

  it('falls back on the agenda’s open reports, and leaves other errors alone', () => {
    const t = i18n.getFixedT('zh-CN');
    expect(revealRefusal(t, refused(), agenda)).toBe('小店镇党委正在投票：请先结束投票，再在大屏显示得分');
    const other = new ApiError('http', { type: 'https://shuping.example/problems/invalid-state', title: 'Invalid state', status: 409 });
    expect(revealRefusal(t, other, agenda)).toBeNull();
    expect(revealRefusal(t, new Error('boom'), agenda)).toBeNull();
  });
});
