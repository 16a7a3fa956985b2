import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { tokenStore } from '../api/tokens';
import { json, mockApi } from '../test/api';
import { ballotForm } from '../test/meetings';
import { parseVoteRoute } from './route';
import { VoteApp } from './VoteApp';

describe('vote routes', () => {
  it.each([
    ['/vote/tok_abcdefghijkl', { page: 'ballot', auth: { kind: 'token', token: 'tok_abcdefghijkl' } }],
    ['/vote/tok_abcdefghijkl/', { page: 'ballot', auth: { kind: 'token', token: 'tok_abcdefghijkl' } }],
    ['/vote/meeting/7', { page: 'ballot', auth: { kind: 'named', meetingId: 7 } }],
    ['/vote', { page: 'mine' }],
    ['/vote/', { page: 'mine' }],
    ['/vote/short', { page: 'not-found' }],
    ['/vote/meeting/x', { page: 'not-found' }],
    ['/vote/a%2Fb%2Fcdefghij', { page: 'not-found' }],
    ['/elsewhere', { page: 'not-found' }],
  ])('%s', (path, route) => {
    expect(parseVoteRoute(path)).toEqual(route);
  });
});

describe('the vote app', () => {
  it('asks a named evaluator to sign in, then shows the ballot', async () => {
    const user = userEvent.setup();
    const { requests } = mockApi({
      'POST /api/v1/auth/token': () => json({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 }),
      'GET /api/v1/vote/form': () => json(ballotForm({ group_name: '县委领导' })),
    });
    render(<VoteApp pathname="/vote/meeting/7" />);
    await user.type(screen.getByLabelText('用户名'), 'leader1');
    await user.type(screen.getByLabelText('密码'), 'secret');
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect(await screen.findByText('评议组：县委领导 · 实名评议')).toBeInTheDocument();
    const form = requests.find((r) => r.url.includes('/vote/form'))!;
    expect(form.headers.get('Authorization')).toBe('Bearer a');
    expect(tokenStore.get()?.accessToken).toBe('a');
  });

  it('opens an anonymous ballot without signing in', async () => {
    mockApi({ 'GET /api/v1/vote/form': () => json(ballotForm()) });
    render(<VoteApp pathname="/vote/tok_abcdefghijkl" />);
    expect(await screen.findByText('评议组：党代表 · 匿名投票')).toBeInTheDocument();
    expect(screen.queryByLabelText('密码')).not.toBeInTheDocument();
  });

  it('lists a signed-in evaluator’s meetings', async () => {
    tokenStore.set({ accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
    mockApi({
      'GET /api/v1/vote/meetings': () =>
        json([{ meeting_id: 7, meeting_title: '述职评议大会', status: 'live', group_key: 'leaders', group_name: '上级领导' }]),
    });
    render(<VoteApp pathname="/vote" />);
    const link = await screen.findByRole('link', { name: /述职评议大会/ });
    expect(link).toHaveAttribute('href', '/vote/meeting/7');
    expect(link).toHaveTextContent('进行中');
  });

  it('says plainly when the address is wrong', () => {
    mockApi({});
    render(<VoteApp pathname="/vote/x" />);
    expect(screen.getByRole('alert')).toHaveTextContent('页面地址不正确');
  });
});
