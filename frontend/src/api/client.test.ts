import { describe, expect, it, vi } from 'vitest';

import { json, mockApi, problem } from '../test/api';
import { api, onSessionExpired, publicApi } from './client';
import { unwrap } from './problem';
import { TOKENS_KEY, tokenStore } from './tokens';

const ME = { id: 1, username: 'admin' };

function login(access = 'old-access', refresh = 'old-refresh') {
  tokenStore.set({ accessToken: access, refreshToken: refresh, expiresAt: Date.now() + 60_000 });
}

describe('auth middleware', () => {
  it('sends the access token', async () => {
    login();
    const { requests } = mockApi({ 'GET /api/v1/auth/me': () => json(ME) });
    await unwrap(api.GET('/api/v1/auth/me'));
    expect(requests[0]?.headers.get('Authorization')).toBe('Bearer old-access');
  });

  it('sends no token without a session', async () => {
    const { requests } = mockApi({ 'GET /api/v1/health': () => json({ status: 'ok', database: 'ok' }) });
    await unwrap(api.GET('/api/v1/health'));
    expect(requests[0]?.headers.has('Authorization')).toBe(false);
  });

  it('refreshes once on a 401 and replays the request, body included', async () => {
    login();
    let refreshes = 0;
    const { requests } = mockApi({
      'POST /api/v1/auth/refresh': async (request) => {
        refreshes += 1;
        expect(await request.json()).toEqual({ refresh_token: 'old-refresh' });
        return json({ access_token: 'new-access', refresh_token: 'new-refresh', token_type: 'bearer', expires_in: 900 });
      },
      'POST /api/v1/orgs': async (request) => {
        if (request.headers.get('Authorization') !== 'Bearer new-access') return problem(401, 'Unauthorized');
        return json({ id: 7, ...(await request.json()) }, 201);
      },
    });
    const created = await unwrap(api.POST('/api/v1/orgs', { body: { code: 'X1', name: '新镇', kind: 'township' } }));
    expect(created).toMatchObject({ id: 7, code: 'X1', name: '新镇' });
    expect(refreshes).toBe(1);
    expect(tokenStore.get()).toMatchObject({ accessToken: 'new-access', refreshToken: 'new-refresh' });
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/orgs', '/api/v1/auth/refresh', '/api/v1/orgs']);
  });

  it('shares one refresh between concurrent 401s', async () => {
    login();
    let refreshes = 0;
    mockApi({
      'POST /api/v1/auth/refresh': async () => {
        refreshes += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return json({ access_token: 'new-access', refresh_token: 'new-refresh', token_type: 'bearer', expires_in: 900 });
      },
      'GET /api/v1/auth/me': (request) =>
        request.headers.get('Authorization') === 'Bearer new-access' ? json(ME) : problem(401, 'Unauthorized'),
    });
    const results = await Promise.all([1, 2, 3].map(() => unwrap(api.GET('/api/v1/auth/me'))));
    expect(results).toEqual([ME, ME, ME]);
    expect(refreshes).toBe(1);
  });

  it('takes the pair another tab refreshed instead of sending the spent refresh token again', async () => {
    login();
    // Another tab has just rotated the tokens; this tab has not yet heard its storage event.
    localStorage.setItem(
      TOKENS_KEY,
      JSON.stringify({ accessToken: 'tab-access', refreshToken: 'tab-refresh', expiresAt: Date.now() + 60_000 }),
    );
    let refreshes = 0;
    mockApi({
      'POST /api/v1/auth/refresh': () => {
        refreshes += 1;
        return problem(401, 'Unauthorized');
      },
      'GET /api/v1/auth/me': (request) =>
        request.headers.get('Authorization') === 'Bearer tab-access' ? json(ME) : problem(401, 'Unauthorized'),
    });
    expect(await unwrap(api.GET('/api/v1/auth/me'))).toEqual(ME);
    expect(refreshes).toBe(0);
    expect(tokenStore.get()).toMatchObject({ accessToken: 'tab-access', refreshToken: 'tab-refresh' });
  });

  it('refreshes under a lock shared by the tabs', async () => {
    login();
    const names: string[] = [];
    vi.stubGlobal('navigator', {
      ...navigator,
      locks: {
        request: (name: string, work: () => Promise<unknown>) => {
          names.push(name);
          return work();
        },
      },
    });
    mockApi({
      'POST /api/v1/auth/refresh': () =>
        json({ access_token: 'new-access', refresh_token: 'new-refresh', token_type: 'bearer', expires_in: 900 }),
      'GET /api/v1/auth/me': (request) =>
        request.headers.get('Authorization') === 'Bearer new-access' ? json(ME) : problem(401, 'Unauthorized'),
    });
    expect(await unwrap(api.GET('/api/v1/auth/me'))).toEqual(ME);
    expect(names).toEqual(['shuping.refresh']);
    expect(tokenStore.get()).toMatchObject({ refreshToken: 'new-refresh' });
  });

  it('ends the session when the refresh is refused', async () => {
    login();
    const expired = vi.fn();
    const stop = onSessionExpired(expired);
    mockApi({
      'POST /api/v1/auth/refresh': () => problem(401, 'Unauthorized'),
      'GET /api/v1/auth/me': () => problem(401, 'Unauthorized'),
    });
    const error = await unwrap(api.GET('/api/v1/auth/me')).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(tokenStore.get()).toBeNull();
    expect(expired).toHaveBeenCalledTimes(1);
    stop();
  });

  it('never refreshes for the login call itself', async () => {
    login();
    const { requests } = mockApi({ 'POST /api/v1/auth/token': () => problem(401, 'Unauthorized') });
    const { response } = await api.POST('/api/v1/auth/token', {
      body: { username: 'a', password: 'b', scope: '' },
      bodySerializer: (body) => new URLSearchParams({ username: body.username, password: body.password }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(401);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.has('Authorization')).toBe(false);
    expect(tokenStore.get()).not.toBeNull();
  });
});

describe('language', () => {
  it('asks every answer in the UI language', async () => {
    const { default: i18n } = await import('../i18n');
    const { requests } = mockApi({ 'GET /api/v1/health': () => json({ status: 'ok', database: 'ok' }) });
    await i18n.changeLanguage('zh-CN');
    await unwrap(api.GET('/api/v1/health'));
    await i18n.changeLanguage('en-US');
    await unwrap(publicApi.GET('/api/v1/health'));
    await i18n.changeLanguage('zh-CN');
    expect(requests.map((r) => r.headers.get('Accept-Language'))).toEqual(['zh-CN', 'en-US']);
  });
});
