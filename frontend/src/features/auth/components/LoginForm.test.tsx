import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import { json, mockApi, problem } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { LoginForm } from './LoginForm';

async function fillAndSubmit(username: string, password: string) {
  const user = userEvent.setup();
  if (username) await user.type(screen.getByLabelText('用户名'), username);
  if (password) await user.type(screen.getByLabelText('密码'), password);
  await user.click(screen.getByRole('button', { name: /登\s*录/ }));
}

describe('LoginForm', () => {
  it('asks for both fields before calling the API', async () => {
    const { fetchMock } = mockApi({});
    renderWithProviders(<LoginForm onLoggedIn={vi.fn()} />);
    await fillAndSubmit('', '');
    expect(await screen.findByText('请输入用户名')).toBeInTheDocument();
    expect(await screen.findByText('请输入密码')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('logs in with a form-encoded password grant and stores the tokens', async () => {
    const onLoggedIn = vi.fn();
    const { requests } = mockApi({
      'POST /api/v1/auth/token': () =>
        json({ access_token: 'a1', refresh_token: 'r1', token_type: 'bearer', expires_in: 900 }),
    });
    renderWithProviders(<LoginForm onLoggedIn={onLoggedIn} />);
    await fillAndSubmit(' admin ', 'shuping-demo');
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalled());
    const sent = requests[0];
    expect(sent?.headers.get('Content-Type')).toContain('application/x-www-form-urlencoded');
    const form = new URLSearchParams(await sent?.text());
    expect(form.get('username')).toBe('admin');
    expect(form.get('password')).toBe('shuping-demo');
    expect(tokenStore.get()).toMatchObject({ accessToken: 'a1', refreshToken: 'r1' });
  });

  it('says the credentials are wrong on 401', async () => {
    mockApi({ 'POST /api/v1/auth/token': () => problem(401, 'Unauthorized', { detail: 'Incorrect username or password' }) });
    renderWithProviders(<LoginForm onLoggedIn={vi.fn()} />);
    await fillAndSubmit('admin', 'wrong-password');
    expect(await screen.findByText('用户名或密码错误')).toBeInTheDocument();
    expect(tokenStore.get()).toBeNull();
  });

  it('says how long to wait on 429', async () => {
    mockApi({ 'POST /api/v1/auth/token': () => problem(429, 'Too Many Requests', {}, { 'Retry-After': '57' }) });
    renderWithProviders(<LoginForm onLoggedIn={vi.fn()} />);
    await fillAndSubmit('admin', 'wrong-password');
    expect(await screen.findByText('尝试次数过多，请稍后再试（57 秒后）')).toBeInTheDocument();
  });

  it('explains a network failure', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    renderWithProviders(<LoginForm onLoggedIn={vi.fn()} />);
    await fillAndSubmit('admin', 'shuping-demo');
    expect(await screen.findByText(/无法连接服务器/)).toBeInTheDocument();
  });
});
