import { act, configure, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import type { Tally } from '../../../api/types';
import { json, mockApi, problem } from '../../../test/api';
import { FakeEventSource } from '../../../test/eventSource';
import { tally } from '../../../test/meetings';
import { renderWithProviders } from '../../../test/render';
import { PAGE_MS } from '../paging';
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

  it('after the meeting says it has ended and shows the final ranking, with no stale speaker', async () => {
    const ended = tally({ status: 'ended', current_report_id: 11, revealed: true, scores_visible: true });
    ended.reports = ended.reports.map((report, i) => ({ ...report, voting: 'closed', score: `${90 - i}.00`, rank: i + 1 }));
    serve({ tally: ended });
    renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
    const current = await screen.findByTestId('screen-current');
    expect(within(current).getByTestId('screen-ended')).toHaveTextContent('本次会议已结束');
    expect(within(current).getByTestId('screen-ended')).toHaveTextContent('共 2 个单位述职');
    expect(current).not.toHaveTextContent('正在述职');
    expect(current).not.toHaveTextContent('述职尚未开始');
    expect(within(current).queryByTestId('screen-progress')).not.toBeInTheDocument();
    const rows = within(screen.getByTestId('screen-ranking')).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual(['1小店镇党委90.00', '2城关镇党委89.00']);
  });

  it('after a meeting whose scores were not shown, says so beside the final agenda', async () => {
    const ended = tally({ status: 'ended', current_report_id: 12 });
    ended.reports = ended.reports.map((report) => ({ ...report, voting: 'closed' }));
    serve({ tally: ended });
    renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
    expect(await screen.findByTestId('screen-ended')).toHaveTextContent('得分由组织部门汇总后公布');
    const agenda = screen.getByTestId('screen-agenda');
    expect(within(agenda).getAllByRole('listitem')).toHaveLength(2);
    expect(agenda.querySelector('.s-agenda-current')).toBeNull();
  });

  it('before the meeting says it has not started', async () => {
    serve({ tally: tally({ status: 'scheduled', current_report_id: null }) });
    renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
    expect(await screen.findByTestId('screen-no-speaker')).toHaveTextContent('会议尚未开始');
  });

  it('turns the pages of a long ranking by itself, so every unit comes on screen', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const long = tally({ revealed: true, scores_visible: true, current_report_id: 101 });
      long.reports = Array.from({ length: 14 }, (_, i) => ({
        ...long.reports[0]!,
        report_id: 101 + i,
        org_name: `第${i + 1}乡`,
        voting: 'closed' as const,
        score: `${(95 - i).toFixed(2)}`,
        rank: i + 1,
      }));
      serve({ tally: long });
      renderWithProviders(<MeetingScreen meetingId={7} screenKey="screen-key" />);
      const ranking = await screen.findByTestId('screen-ranking');
      const names = () => within(ranking).getAllByRole('listitem').map((row) => row.textContent?.replace(/\d+\.\d+$/, ''));
      expect(within(ranking).getByTestId('screen-pager')).toHaveTextContent('第 1/2 页');
      expect(names()).toEqual(Array.from({ length: 7 }, (_, i) => `${i + 1}第${i + 1}乡`));
      await act(async () => {
        await vi.advanceTimersByTimeAsync(PAGE_MS);
      });
      expect(within(ranking).getByTestId('screen-pager')).toHaveTextContent('第 2/2 页');
      expect(names()).toEqual(Array.from({ length: 7 }, (_, i) => `${i + 8}第${i + 8}乡`));
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
