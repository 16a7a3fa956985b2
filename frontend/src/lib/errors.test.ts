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

  it('heads a refusal by its code and shows the server\'s words as they are', () => {
    const coded = (status: number, code: string, detail: string) =>
      new ApiError('http', { type: `https://shuping.example/problems/${code}`, title: 'T', status, detail, request_id: 'rid' });
    expect(describeError(t, coded(409, 'invalid-state', '请先撰写述职报告再提交：正文为空'))).toEqual({
      title: '无法执行',
      detail: '请先撰写述职报告再提交：正文为空',
      requestId: 'rid',
    });
    expect(describeError(t, coded(409, 'integration-not-configured', '尚未配置阳光信访系统的导出地址')).title).toBe('尚未配置');
    expect(describeError(t, coded(409, 'not-configured', '…')).title).toBe('尚未配置');
    expect(describeError(t, coded(409, 'conflict', '组织代码“X1”已被使用')).title).toBe('与现有数据冲突');
    expect(describeError(t, coded(400, 'invalid-input', '各评议组权重之和为 1.1，应为 1')).title).toBe('输入有误');
  });

  it('explains network failures', () => {
    expect(describeError(t, ApiError.network(new TypeError('Failed to fetch'))).title).toBe('无法连接服务器');
  });

  it('describes anything else generically', () => {
    expect(describeError(t, new Error('boom'))).toEqual({ title: '出错了', detail: 'boom' });
  });
});
