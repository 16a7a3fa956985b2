import { describe, expect, it } from 'vitest';

import { ApiError, formFieldErrors, parseRetryAfter, toProblem, unwrap } from './problem';

describe('toProblem', () => {
  it('reads problem+json as sent', () => {
    const problem = toProblem(
      {
        type: 'https://shuping/problems/validation',
        title: 'Validation failed',
        status: 422,
        detail: 'code is taken',
        request_id: 'abc',
        errors: [{ loc: ['body', 'code'], msg: 'already used' }],
      },
      422,
    );
    expect(problem).toEqual({
      type: 'https://shuping/problems/validation',
      title: 'Validation failed',
      status: 422,
      detail: 'code is taken',
      request_id: 'abc',
      errors: [{ loc: ['body', 'code'], msg: 'already used' }],
    });
  });

  it("converts FastAPI's default error shapes", () => {
    expect(toProblem({ detail: 'Not Found' }, 404, 'Not Found')).toMatchObject({ status: 404, detail: 'Not Found' });
    expect(toProblem({ detail: [{ loc: ['query', 'limit'], msg: 'too big', type: 'x' }] }, 422).errors).toEqual([
      { loc: ['query', 'limit'], msg: 'too big' },
    ]);
  });

  it('survives text and empty bodies', () => {
    expect(toProblem('Bad Gateway', 502)).toMatchObject({ status: 502, title: 'HTTP 502', detail: 'Bad Gateway' });
    expect(toProblem(undefined, 500, 'Internal Server Error')).toMatchObject({ title: 'Internal Server Error' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('formFieldErrors', () => {
  it('groups errors per field and drops the request part of the location', () => {
    const fields = formFieldErrors({
      type: 'about:blank',
      title: 'Invalid',
      status: 422,
      errors: [
        { loc: ['body', 'code'], msg: 'too long' },
        { loc: ['body', 'code'], msg: 'taken' },
        { loc: ['body', 'items', 0, 'name'], msg: 'required' },
        { loc: ['body'], msg: 'not an object' },
      ],
    });
    expect(fields).toEqual([
      { name: ['code'], errors: ['too long', 'taken'] },
      { name: ['items', 0, 'name'], errors: ['required'] },
    ]);
  });
});

describe('unwrap', () => {
  const response = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

  it('returns the data of a success', async () => {
    await expect(unwrap(Promise.resolve({ data: { ok: true }, response: response(200) }))).resolves.toEqual({ ok: true });
  });

  it('throws an ApiError with the problem and Retry-After of a failure', async () => {
    const error = await unwrap(
      Promise.resolve({ error: { title: 'Too Many Requests', status: 429 }, response: response(429, { 'Retry-After': '42' }) }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'http', status: 429, retryAfter: 42 });
  });

  it('turns a failed fetch into a network ApiError', async () => {
    const error = await unwrap(Promise.reject(new TypeError('Failed to fetch'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'network', status: 0 });
  });
});

describe('problem extensions', () => {
  it('keeps the members a problem type adds', () => {
    const problem = toProblem(
      { type: 't', title: 'Invalid input', status: 400, errors: [], error_sheet: '/api/v1/x', blockers: [{ code: 'a' }] },
      400,
    );
    expect(problem.extensions).toEqual({ error_sheet: '/api/v1/x', blockers: [{ code: 'a' }] });
  });
});
