import { configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { json, mockApi, problem } from '../../../test/api';
import { ballotForm } from '../../../test/meetings';
import { MAX_TRIES, retryPolicy, type BallotAuth } from '../api';
import { BallotPage } from './BallotPage';

// Room for a busy two-core CI machine.
configure({ asyncUtilTimeout: 3000 });

const AUTH: BallotAuth = { kind: 'token', token: 'tok_abcdefghijkl' };
const RECEIPT = { receipt: 'K7Q2-M9XD', report_id: 11, group_key: 'deputies' };

beforeEach(() => {
  retryPolicy.baseDelayMs = 1;
  sessionStorage.clear();
});
afterEach(() => {
  retryPolicy.baseDelayMs = 500;
});

async function fillValidBallot(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText('履行主体责任'), '18.5');
  await user.click(screen.getByRole('radio', { name: '较好' }));
}

describe('the phone ballot page', () => {
  it('shows the meeting, the current speaker, and the open report as items to score', async () => {
    mockApi({ 'GET /api/v1/vote/form': () => json(ballotForm()) });
    render(<BallotPage auth={AUTH} />);
    expect(await screen.findByRole('heading', { name: '2026 年度村党组织书记述职评议大会' })).toBeInTheDocument();
    expect(screen.getByText('评议组：党代表 · 匿名投票')).toBeInTheDocument();
    const speaker = screen.getByTestId('current-speaker');
    expect(within(speaker).getByText('小店镇党委')).toBeInTheDocument();
    expect(within(speaker).getByText('投票中')).toBeInTheDocument();
    expect(screen.getByText('满分 20')).toBeInTheDocument();
    const tiers = screen.getByRole('radiogroup', { name: '总体评价' });
    expect(within(tiers).getAllByRole('radio').map((b) => b.textContent)).toEqual(['好', '较好', '一般', '较差']);
    expect(screen.getByRole('combobox', { name: '意见类别' })).toBeInTheDocument();
  });

  it('refuses to send a ballot with a missing or out-of-range item, and says which', async () => {
    const user = userEvent.setup();
    const { requests } = mockApi({ 'GET /api/v1/vote/form': () => json(ballotForm()) });
    render(<BallotPage auth={AUTH} />);
    await user.click(await screen.findByRole('button', { name: '提交投票' }));
    expect(screen.getAllByText('请评议此项')).toHaveLength(2);
    expect(screen.getByText('还有 2 项未填或填写有误')).toBeInTheDocument();

    await user.type(screen.getByLabelText('履行主体责任'), '20.5');
    await user.click(screen.getByRole('radio', { name: '好' }));
    await user.click(screen.getByRole('button', { name: '提交投票' }));
    expect(screen.getByText('分数须在 0 到 20 之间')).toBeInTheDocument();

    await user.clear(screen.getByLabelText('履行主体责任'));
    await user.type(screen.getByLabelText('履行主体责任'), '1.234');
    await user.click(screen.getByRole('button', { name: '提交投票' }));
    expect(screen.getByText('请输入数字，最多两位小数')).toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('sends a valid ballot and shows the receipt code', async () => {
    const user = userEvent.setup();
    const { requests } = mockApi({
      'GET /api/v1/vote/form': () => json(ballotForm()),
      'POST /api/v1/meetings/7/ballots': () => json(RECEIPT, 201),
    });
    render(<BallotPage auth={AUTH} />);
    await fillValidBallot(user);
    await user.type(screen.getByLabelText('意见建议（选填）'), '  多走访群众  ');
    await user.selectOptions(screen.getByRole('combobox', { name: '意见类别' }), '作风建设');
    await user.click(screen.getByRole('button', { name: '提交投票' }));

    expect(await screen.findByTestId('receipt-code')).toHaveTextContent('K7Q2-M9XD');
    expect(screen.getByText('✓ 投票成功')).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST')!;
    expect(await post.json()).toEqual({
      report_id: 11,
      items: { duty: 18.5, overall: 'fairly_good' },
      comment: '多走访群众',
      comment_category: '作风建设',
    });
    expect(post.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(post.headers.get('X-Ballot-Token')).toBe('tok_abcdefghijkl');
  });

  it('retries through a flaky network with the same Idempotency-Key', async () => {
    const user = userEvent.setup();
    let posts = 0;
    const { requests } = mockApi({
      'GET /api/v1/vote/form': () => json(ballotForm()),
      'POST /api/v1/meetings/7/ballots': () => {
        posts += 1;
        if (posts < 3) throw new TypeError('Failed to fetch');
        return json(RECEIPT, 201);
      },
    });
    render(<BallotPage auth={AUTH} />);
    await fillValidBallot(user);
    await user.click(screen.getByRole('button', { name: '提交投票' }));
    expect(await screen.findByTestId('receipt-code')).toHaveTextContent('K7Q2-M9XD');
    const keys = requests.filter((r) => r.method === 'POST').map((r) => r.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it('says the network is down after the last try, and "submit again" reuses the key', async () => {
    const user = userEvent.setup();
    let online = false;
    const { requests } = mockApi({
      'GET /api/v1/vote/form': () => json(ballotForm()),
      'POST /api/v1/meetings/7/ballots': () => {
        if (!online) throw new TypeError('Failed to fetch');
        return json(RECEIPT, 201);
      },
    });
    render(<BallotPage auth={AUTH} />);
    await fillValidBallot(user);
    await user.click(screen.getByRole('button', { name: '提交投票' }));
    const alert = await screen.findByTestId('ballot-error');
    expect(alert).toHaveTextContent('网络连接失败，投票没有送达');
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(MAX_TRIES);

    online = true;
    await user.click(within(alert).getByRole('button', { name: '重新提交' }));
    expect(await screen.findByTestId('receipt-code')).toHaveTextContent('K7Q2-M9XD');
    const keys = requests.filter((r) => r.method === 'POST').map((r) => r.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(MAX_TRIES + 1);
    expect(new Set(keys).size).toBe(1);
  });

  it.each([
    [
      problem(409, 'Conflict', { type: 'https://shuping.example/problems/token-used', detail: 'Token already used' }),
      '这个二维码已经为该述职投过票了',
    ],
    [
      problem(409, 'Conflict', { type: 'https://shuping.example/problems/voting-closed', detail: 'Voting closed' }),
      '该述职的投票已结束，这张选票没有被接收',
    ],
    [
      problem(409, 'Conflict', { type: 'https://shuping.example/problems/token-revoked', detail: 'Revoked' }),
      '这个二维码已被作废',
    ],
    [
      problem(422, 'Malformed request', { errors: [{ loc: ['body', 'items', 'duty'], msg: 'at most 20' }] }),
      '选票填写有误：at most 20',
    ],
    [problem(500, 'Internal error'), '服务器暂时出错'],
  ])('says plainly what went wrong (%#)', async (answer, message) => {
    const user = userEvent.setup();
    mockApi({
      'GET /api/v1/vote/form': () => json(ballotForm()),
      'POST /api/v1/meetings/7/ballots': () => answer.clone(),
    });
    render(<BallotPage auth={AUTH} />);
    await fillValidBallot(user);
    await user.click(screen.getByRole('button', { name: '提交投票' }));
    expect(await screen.findByTestId('ballot-error')).toHaveTextContent(message);
    expect(screen.queryByTestId('receipt')).not.toBeInTheDocument();
  });

  it('shows which reports are not open yet or closed, and offers no ballot for them', async () => {
    const user = userEvent.setup();
    mockApi({ 'GET /api/v1/vote/form': () => json(ballotForm()) });
    render(<BallotPage auth={AUTH} />);
    const agenda = await screen.findByRole('navigation', { name: '述职顺序' });
    await user.click(within(agenda).getByRole('button', { name: /城关镇党委/ }));
    expect(screen.getByText(/投票尚未开始/)).toBeInTheDocument();
    expect(screen.queryByTestId('ballot-sheet')).not.toBeInTheDocument();
    await user.click(within(agenda).getByRole('button', { name: /柏树乡党委/ }));
    expect(screen.getByText('该述职的投票已结束，不能再投票。')).toBeInTheDocument();
    expect(screen.queryByTestId('ballot-sheet')).not.toBeInTheDocument();
  });

  it('tells an anonymous voter who already voted on a report', async () => {
    const form = ballotForm();
    form.reports[0]!.voted = true;
    mockApi({ 'GET /api/v1/vote/form': () => json(form) });
    render(<BallotPage auth={AUTH} />);
    expect(await screen.findByText('您已为该述职投票。')).toBeInTheDocument();
    expect(screen.queryByTestId('ballot-sheet')).not.toBeInTheDocument();
  });

  it('lets a signed-in evaluator of a named group vote again, and one of an anonymous group not', async () => {
    const named: BallotAuth = { kind: 'named', meetingId: 7 };
    for (const anonymous of [false, true]) {
      const form = ballotForm({ anonymous });
      form.reports[0]!.voted = true;
      mockApi({ 'GET /api/v1/vote/form': () => json(form) });
      const { unmount } = render(<BallotPage auth={named} />);
      expect(await screen.findByText(anonymous ? '您已为该述职投票。' : /投票结束前可以重新提交/)).toBeInTheDocument();
      expect(screen.getByText(anonymous ? /匿名投票/ : /实名评议/)).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: '重新投票' }) !== null).toBe(!anonymous);
      unmount();
    }
  });

  it('says so when the QR code is unknown', async () => {
    mockApi({
      'GET /api/v1/vote/form': () =>
        problem(404, 'Not found', { type: 'https://shuping.example/problems/token-unknown', detail: 'Unknown ballot token' }),
    });
    render(<BallotPage auth={AUTH} />);
    expect(await screen.findByTestId('load-error')).toHaveTextContent('二维码无效或不属于本次会议');
  });

  it('follows the speaker when the host moves on', async () => {
    let form = ballotForm();
    mockApi({ 'GET /api/v1/vote/form': () => json(form) });
    const { unmount } = render(<BallotPage auth={AUTH} />);
    expect(await screen.findByRole('heading', { name: '小店镇党委', level: 2 })).toBeInTheDocument();
    form = ballotForm({
      current_report_id: 12,
      reports: form.reports.map((r) => ({ ...r, voting: r.report_id === 12 ? 'open' : r.report_id === 11 ? 'closed' : r.voting })),
    });
    // The next poll (every 3 s) brings the new speaker.
    await waitFor(() => expect(screen.getByRole('heading', { name: '城关镇党委', level: 2 })).toBeInTheDocument(), {
      timeout: 5000,
    });
    unmount();
  });

  it('offers the next open report after a receipt, and only when there is one', async () => {
    const user = userEvent.setup();
    const form = ballotForm();
    form.reports[1]!.voting = 'open';
    mockApi({
      'GET /api/v1/vote/form': () => json(form),
      'POST /api/v1/meetings/7/ballots': () => json(RECEIPT, 201),
    });
    render(<BallotPage auth={AUTH} />);
    await fillValidBallot(user);
    await user.click(screen.getByRole('button', { name: '提交投票' }));
    await user.click(await screen.findByRole('button', { name: '继续评议下一位' }));
    expect(screen.getByRole('heading', { name: '城关镇党委', level: 2 })).toBeInTheDocument();
    expect(screen.getByTestId('ballot-sheet')).toBeInTheDocument();

    await fillValidBallot(user);
    await user.click(screen.getByRole('button', { name: '提交投票' }));
    expect(await screen.findByTestId('receipt-code')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '继续评议下一位' })).not.toBeInTheDocument();
  });
});
