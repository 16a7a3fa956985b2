import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import type { MeetingRead } from '../../../api/types';
import { json, mockApi, problem, type Handler } from '../../../test/api';
import { FakeEventSource } from '../../../test/eventSource';
import { meeting, tally } from '../../../test/meetings';
import { renderWithProviders } from '../../../test/render';
import { MeetingConsole } from './MeetingConsole';
import { tokenFromLine } from './TokenPanel';

// The console is a big antd tree; on a busy two-core machine it can take more than a second to settle.
configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 60_000 });

const CYCLE = {
  id: 3,
  name: '2026 年度述职评议',
  can_manage: true,
  groups: [
    { key: 'leaders', name: '县委领导', anonymous: false, expected: 9, member_count: 9 },
    { key: 'deputies', name: '党代表', anonymous: true, expected: 120, member_count: 0 },
  ],
};

beforeEach(() => {
  FakeEventSource.reset();
  vi.stubGlobal('EventSource', FakeEventSource);
  tokenStore.set({ accessToken: 'host', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
});

/** A fake API whose controls change the meeting as the server would. */
function serveConsole(initial: Partial<MeetingRead> = {}, routes: Record<string, Handler> = {}) {
  let current = meeting(initial);
  const answer = (next: Partial<MeetingRead>) => {
    current = { ...current, ...next };
    return json(current);
  };
  const api = mockApi({
    'GET /api/v1/meetings/7': () => json(current),
    'GET /api/v1/meetings/7/tally': () => json(tally()),
    'GET /api/v1/cycles/3': () => json(CYCLE),
    'GET /api/v1/meetings/7/tokens': () => json([{ group_key: 'deputies', issued: 2, used: 1, revoked: 0 }]),
    'POST /api/v1/meetings/7/start': () => answer({ status: 'live' }),
    'POST /api/v1/meetings/7/end': () => answer({ status: 'ended' }),
    'POST /api/v1/meetings/7/speaker': async (request) => answer({ current_report_id: ((await request.json()) as { report_id: number }).report_id }),
    'POST /api/v1/meetings/7/reports/12/voting': async (request) => {
      const { open } = (await request.json()) as { open: boolean };
      return answer({ agenda: current.agenda.map((e) => (e.report_id === 12 ? { ...e, voting: open ? 'open' : 'closed' } : e)) });
    },
    'POST /api/v1/meetings/7/reveal': async (request) => answer({ revealed: ((await request.json()) as { revealed: boolean }).revealed }),
    'POST /api/v1/meetings/7/tokens': async (request) => {
      const { group_key, count } = (await request.json()) as { group_key: string; count: number };
      return json({ meeting_id: 7, group_key, tokens: Array.from({ length: count }, (_, i) => `tok_${i}_abcdefgh`) }, 201);
    },
    'POST /api/v1/meetings/7/tokens/revoke': async (request) => json({ revoked: ((await request.json()) as { tokens: string[] }).tokens.length }),
    ...routes,
  });
  return { ...api, posts: () => api.requests.filter((r) => r.method === 'POST') };
}

async function postBody(request: Request | undefined) {
  return request ? ((await request.clone().json()) as unknown) : undefined;
}

describe('the host console', () => {
  it('starts a scheduled meeting', async () => {
    const user = userEvent.setup();
    const { posts } = serveConsole({ status: 'scheduled', current_report_id: null });
    renderWithProviders(<MeetingConsole meetingId={7} />);
    await user.click(await screen.findByTestId('start-meeting'));
    await waitFor(() => expect(posts().map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/meetings/7/start']));
    expect(await screen.findByTestId('end-meeting')).toBeInTheDocument();
  });

  it('sets the speaker, opens and closes voting, and reveals, each through its endpoint', async () => {
    const user = userEvent.setup();
    const { posts } = serveConsole();
    renderWithProviders(<MeetingConsole meetingId={7} />);
    const table = await screen.findByTestId('agenda-table');
    const row = () => within(table).getByText('城关镇党委').closest('tr')!;

    await user.click(within(row()).getByRole('button', { name: /设为当前发言/ }));
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(new URL(posts()[0]!.url).pathname).toBe('/api/v1/meetings/7/speaker');
    expect(await postBody(posts()[0])).toEqual({ report_id: 12 });
    await waitFor(() => expect(within(row()).getByRole('button', { name: /当前发言/ })).toBeDisabled());

    await user.click(within(row()).getByRole('button', { name: /开始投票/ }));
    await waitFor(() => expect(posts()).toHaveLength(2));
    expect(new URL(posts()[1]!.url).pathname).toBe('/api/v1/meetings/7/reports/12/voting');
    expect(await postBody(posts()[1])).toEqual({ open: true });

    await user.click(await within(row()).findByRole('button', { name: /结束投票/ }));
    await waitFor(() => expect(posts()).toHaveLength(3));
    expect(await postBody(posts()[2])).toEqual({ open: false });

    await user.click(screen.getByTestId('reveal-switch'));
    await waitFor(() => expect(posts()).toHaveLength(4));
    expect(new URL(posts()[3]!.url).pathname).toBe('/api/v1/meetings/7/reveal');
    expect(await postBody(posts()[3])).toEqual({ revealed: true });
    expect(await screen.findByText('已在大屏显示得分')).toBeInTheDocument();
  });

  it('says which report is open when the reveal is refused, and that the scores wait for it', async () => {
    const user = userEvent.setup();
    const refused = () =>
      problem(409, 'Scores cannot be shown while a report is open for voting', {
        type: 'https://shuping.example/problems/reveal-while-voting',
        detail: 'Close voting first: scores are not shown while a report is open for voting',
        report_ids: [11],
      });
    const { posts } = serveConsole({}, { 'POST /api/v1/meetings/7/reveal': refused });
    renderWithProviders(<MeetingConsole meetingId={7} />);
    expect(await screen.findByTestId('reveal-waits')).toHaveTextContent('投票进行中：结束投票后才能在大屏显示得分');
    await user.click(screen.getByTestId('reveal-switch'));
    expect(await screen.findByText('小店镇党委正在投票：请先结束投票，再在大屏显示得分')).toBeInTheDocument();
    expect(posts().map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/meetings/7/reveal']);
    expect(screen.getByTestId('reveal-switch')).not.toBeChecked();
    expect(screen.getByText('大屏不显示得分')).toBeInTheDocument();
  });

  it('shows a withheld score as withheld, not as a dash', async () => {
    const withheld = tally({ revealed: true, scores_visible: true });
    withheld.reports[1] = { ...withheld.reports[1]!, withheld: true, hidden_below: 3 };
    serveConsole({ revealed: true, agenda: meeting().agenda.map((e) => ({ ...e, voting: 'closed' as const })) }, {
      'GET /api/v1/meetings/7/tally': () => json(withheld),
    });
    renderWithProviders(<MeetingConsole meetingId={7} />);
    expect(await screen.findByTestId('score-withheld-12')).toHaveTextContent('不足 3 票，不显示');
    expect(screen.queryByTestId('reveal-waits')).not.toBeInTheDocument();
  });

  it('ends a live meeting after asking', async () => {
    const user = userEvent.setup();
    const { posts } = serveConsole();
    renderWithProviders(<MeetingConsole meetingId={7} />);
    await user.click(await screen.findByTestId('end-meeting'));
    expect(posts()).toHaveLength(0);
    await waitFor(() => expect(document.querySelector('.ant-popconfirm .ant-btn-primary')).not.toBeNull());
    await user.click(document.querySelector<HTMLElement>('.ant-popconfirm .ant-btn-primary')!);
    await waitFor(() => expect(posts().map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/meetings/7/end']));
  });

  it('shows live counts and follows the meeting’s events with its screen key', async () => {
    const { requests } = serveConsole();
    renderWithProviders(<MeetingConsole meetingId={7} />);
    expect(await screen.findByTestId('received-11')).toHaveTextContent('党代表 40/120');
    const source = FakeEventSource.latest();
    expect(source.url).toBe('/api/v1/meetings/7/events?key=screen-key-abc');
    const tallies = () => requests.filter((r) => new URL(r.url).pathname.endsWith('/tally')).length;
    const before = tallies();
    act(() => {
      source.open();
      source.emit('tally', {}, '5');
    });
    await waitFor(() => expect(tallies()).toBeGreaterThan(before));
    expect(screen.getByTestId('screen-link')).toBeInTheDocument();
    expect(screen.getByTestId('open-screen')).toHaveAttribute('href', `${window.location.origin}/screen/7?key=screen-key-abc`);
  });

  it('generates tokens for a group and shows one QR code per token, each opening the ballot page', async () => {
    const user = userEvent.setup();
    const { posts } = serveConsole();
    renderWithProviders(<MeetingConsole meetingId={7} />);
    const panel = await screen.findByTestId('token-panel');
    expect(await within(panel).findByText('党代表')).toBeInTheDocument();
    const count = within(panel).getByRole('spinbutton');
    await user.clear(count);
    await user.type(count, '2');
    await user.click(within(panel).getByTestId('generate-tokens'));
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(await postBody(posts()[0])).toEqual({ group_key: 'deputies', count: 2 });
    const sheet = await screen.findByTestId('token-sheet');
    const cards = await within(sheet).findAllByTestId('token-card');
    expect(cards.map((card) => card.getAttribute('data-url'))).toEqual([
      `${window.location.origin}/vote/tok_0_abcdefgh`,
      `${window.location.origin}/vote/tok_1_abcdefgh`,
    ]);
    expect(cards[0]!.querySelector('svg')).not.toBeNull();
    expect(screen.getByTestId('print-tokens')).toBeEnabled();
    expect(cards[1]).toHaveTextContent('第 2 号');
    expect(cards[1]).not.toHaveTextContent('No.');
  });

  it('revokes pasted codes and links', async () => {
    const user = userEvent.setup();
    const { posts } = serveConsole();
    renderWithProviders(<MeetingConsole meetingId={7} />);
    const box = await screen.findByTestId('revoke-tokens');
    await user.type(box, 'tok_a_abcdefgh{enter}http://hall.local/vote/tok_b_abcdefgh{enter}{enter}');
    await user.click(screen.getByTestId('revoke-submit'));
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(await postBody(posts()[0])).toEqual({ tokens: ['tok_a_abcdefgh', 'tok_b_abcdefgh'] });
    expect(await screen.findByText('已作废 2 个二维码')).toBeInTheDocument();
  });
});

describe('pasted tokens', () => {
  it.each([
    ['tok_abc', 'tok_abc'],
    ['  https://x.example/vote/tok_abc  ', 'tok_abc'],
    ['https://x.example/vote/tok_abc/', 'tok_abc'],
    ['   ', null],
  ])('%j → %j', (line, token) => {
    expect(tokenFromLine(line)).toBe(token);
  });
});
