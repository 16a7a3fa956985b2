import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/problem';
import i18n from '../i18n';
import { describeError } from './errors';

const t = i18n.t.bind(i18n);
const http = (status: number, detail?: string) =>
  new ApiError('http', { type: 'about:blank', title: 'T', status, detail, request_id: 'rid' });

describe('describeError', () => {
  it('names known statuses in the UI language', () => {
    expect(describeError(t, http(403)).title).toBe('无权访问');
    expect(describeError(t, http(404)).title).toBe('页面不存在');
    expect(describeError(t, http(409, 'code taken'))).toEqual({ title: '与现有数据冲突', detail: 'code taken', requestId: 'rid' });
    expect(describeError(t, http(503)).title).toBe('服务器出错了');
  });

  it('explains network failures', () => {
    expect(describeError(t, ApiError.network(new TypeError('Failed to fetch'))).title).toBe('无法连接服务器');
  });

  it('describes anything else generically', () => {
    expect(describeError(t, new Error('boom'))).toEqual({ title: '出错了', detail: 'boom' });
  });
});
