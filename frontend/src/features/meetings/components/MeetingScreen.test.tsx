import { act, configure, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import type { Tally } from '../../../api/types';
import { json, mockApi, problem } from '../../../test/api';
import { FakeEventSource } from '../../../test/eventSource';
import { tally } from '../../../test/meetings';
import { renderWithProviders } from '../../../test/render';
import { MeetingScreen } from './MeetingScreen';

// Room for a busy two-core CI machine.
configure({ asyncUtilTimeout: 3000 });

beforeEach(() => {
  FakeEventSource.reset();
  vi.stubGlobal('EventSource', FakeEventSource);
});

function serve(current: { tally: Tally }) {
  return mockApi({
    'GET /api/v1/meetings/7/tally': (_request, url) =>
      url.searchParams.get('key') === 'screen-key' ? json(current.tally) : problem(403, 'Forbidden'),
  });
}

describe('the big screen', () => {
  it('shows the current speaker and each group’s ballots as progress bars', async () => {
    const state = { tally: tally() };
    serve(state);
    renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
    expect(await screen.findByRole('heading', { name: '2026 年度述职评议大会' })).toBeInTheDocument();
    const current = screen.getByTestId('screen-current');
    expect(within(current).getByText('小店镇党委')).toBeInTheDocument();
    expect(within(current).getByText('正在投票')).toBeInTheDocument();
    const bars = within(current).getAllByRole('progressbar');
    expect(bars.map((bar) => [bar.getAttribute('aria-label'), bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax')])).toEqual([
      ['县委领导', '3', '9'],
      ['党代表', '40', '120'],
    ]);
    expect(within(current).getByTestId('received-deputies')).toHaveTextContent('40 / 120');
    expect(screen.getByTestId('screen-agenda')).toHaveTextContent('城关镇党委');
    expect(screen.queryByTestId('screen-ranking')).not.toBeInTheDocument();
  });

  it('refetches the tally when a ballot lands, and shows the connection', async () => {
    const state = { tally: tally() };
    const { requests } = serve(state);
    renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
    await screen.findByTestId('screen-current');
    expect(screen.getByTestId('screen-connection')).toHaveTextContent('连接中');
    const source = FakeEventSource.latest();
    expect(source.url).toBe('/api/v1/meetings/7/events?key=screen-key');
    act(() => source.open());
    expect(screen.getByTestId('screen-connection')).toHaveTextContent('实时');

    state.tally = tally();
    state.tally.reports[0]!.groups[1]!.received = 41;
    act(() => source.emit('tally', { reports: [] }, '12'));
    await waitFor(() => expect(screen.getByTestId('received-deputies')).toHaveTextContent('41 / 120'));

    act(() => source.fail());
    expect(screen.getByTestId('screen-connection')).toHaveTextContent('重新连接中');
    // The screen reads as the screen, never with a session that might see scores before the reveal.
    expect(requests.every((r) => !r.headers.has('Authorization'))).toBe(true);
  });

  it('never sends the session even when an admin opens the screen', async () => {
    tokenStore.set({ accessToken: 'admin', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
    const { requests } = serve({ tally: tally() });
    renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
    await screen.findByTestId('screen-current');
    expect(requests[0]!.headers.has('Authorization')).toBe(false);
  });

  it('after the reveal shows the scores and the running ranking', async () => {
    const revealed = tally({ revealed: true, scores_visible: true });
    revealed.reports[0] = { ...revealed.reports[0]!, score: '88.50', rank: 2 };
    revealed.reports[1] = { ...revealed.reports[1]!, score: '91.25', rank: 1 };
    serve({ tally: revealed });
    renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
    const ranking = await screen.findByTestId('screen-ranking');
    const rows = within(ranking).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual(['1城关镇党委91.25', '2小店镇党委88.50']);
    expect(screen.queryByTestId('screen-agenda')).not.toBeInTheDocument();
  });

  it('says in place of a score that too few ballots stand behind it', async () => {
    const revealed = tally({ revealed: true, scores_visible: true });
    const [first, second] = revealed.reports;
    revealed.reports[0] = {
      ...first!,
      voting: 'closed',
      withheld: true,
      hidden_below: 3,
      groups: [
        { ...first!.groups[0]!, received: 2, withheld: 'few_ballots', hidden_below: 3 },
        { ...first!.groups[1]!, received: 40, withheld: 'complement', hidden_below: 3 },
      ],
    };
    revealed.reports[1] = { ...second!, voting: 'closed', score: '91.25', rank: 1 };
    serve({ tally: revealed });
    renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
    const current = await screen.findByTestId('screen-current');
    expect(within(current).getByTestId('screen-score-withheld')).toHaveTextContent('得分：不足 3 票，不显示');
    expect(within(current).queryByTestId('screen-score')).not.toBeInTheDocument();
    expect(within(current).getByTestId('withheld-leaders')).toHaveTextContent('不足 3 票，不显示');
    expect(within(current).getByTestId('withheld-deputies')).toHaveTextContent('不显示，以免推算出不足 3 票分组的得分');
    expect(within(current).getByTestId('received-leaders')).toHaveTextContent('2 / 9');
    const rows = within(screen.getByTestId('screen-ranking')).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual(['1城关镇党委91.25']);
  });

  it('once revealed, shows counts only while a report is open for voting again', async () => {
    serve({ tally: tally({ revealed: true, scores_visible: false }) });
    renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
    expect(await screen.findByTestId('screen-scores-wait')).toHaveTextContent('正在投票，得分在投票结束后显示');
    expect(screen.getByTestId('screen-agenda')).toBeInTheDocument();
    expect(screen.queryByTestId('screen-ranking')).not.toBeInTheDocument();
  });

  it('reconnects by itself when the stream closes', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      serve({ tally: tally() });
      renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
      await screen.findByTestId('screen-current');
      const first = FakeEventSource.latest();
      act(() => {
        first.open();
        first.emit('speaker', { report_id: 11 }, '41');
        first.fail(true);
      });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1100);
      });
      const second = FakeEventSource.latest();
      expect(second).not.toBe(first);
      expect(second.url).toBe('/api/v1/meetings/7/events?key=screen-key&after=41');
    } finally {
      vi.useRealTimers();
    }
  });

  it('says plainly when the screen link is wrong', async () => {
    mockApi({ 'GET /api/v1/meetings/7/tally': () => problem(403, 'Forbidden', { detail: 'Wrong screen key for this meeting' }) });
    renderWithProviders(<MeetingScreen meetingId={7} screenKey="wrong" />);
    expect(await screen.findByRole('alert')).toHaveTextContent('大屏链接无效');
  });
});
