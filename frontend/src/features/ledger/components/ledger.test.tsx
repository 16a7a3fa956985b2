import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { LedgerBoard, LedgerEvent, LedgerFigures, LedgerItem, OpinionImportResult } from '../../../api/types';
import { json, mockApi, page, problem } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { BoardView } from './BoardView';
import { actionKey, ItemActions } from './ItemActions';
import { ItemTimeline } from './ItemTimeline';
import { Kanban } from './Kanban';
import { OpinionImportPanel } from './OpinionImportPanel';
import { PublicityCard } from './PublicityCard';
import { FiguresCards, formatRate } from './StatsView';
import { StatusTag } from './StatusTag';

const FIGURES: LedgerFigures = {
  total: 405,
  open: 60,
  in_progress: 120,
  done: 57,
  verified: 148,
  rejected: 20,
  overdue: 31,
  due_soon: 9,
  completion_rate: '0.384416',
};

function item(overrides: Partial<LedgerItem> = {}): LedgerItem {
  return {
    id: 7,
    cycle: { id: 1, name: '2013年上半年乡镇党委书记抓基层党建述职评议' },
    org: { id: 2, code: '410326101', name: '城关镇' },
    owner: { id: 9, full_name: '王书记' },
    category: '班子建设',
    title: '班子成员分工不够明确',
    measures: null,
    status: 'open',
    status_reason: null,
    start_date: '2026-09-01',
    due_days: 60,
    due_date: '2026-11-30',
    working_days_left: 3,
    overdue: false,
    due_soon: true,
    done_date: null,
    verified_date: null,
    opinion_count: 1,
    allowed_transitions: ['in_progress', 'rejected'],
    public: false,
    public_title: null,
    created_at: '2026-09-01T01:00:00Z',
    updated_at: '2026-09-01T01:00:00Z',
    ...overrides,
  };
}

describe('ledger components', () => {
  it('names statuses and marks overdue items', () => {
    renderWithProviders(<StatusTag status="in_progress" overdue />);
    expect(screen.getByText('整改中')).toBeInTheDocument();
    expect(screen.getByText('超期')).toBeInTheDocument();
  });

  it('shows the headline figures and the completion rate', () => {
    renderWithProviders(<FiguresCards total={FIGURES} />);
    expect(within(screen.getByTestId('ledger-stat-total')).getByText('405')).toBeInTheDocument();
    expect(within(screen.getByTestId('ledger-stat-overdue')).getByText('31')).toBeInTheDocument();
    expect(within(screen.getByTestId('ledger-stat-completion_rate')).getByText('38.4%')).toBeInTheDocument();
    expect(formatRate(null)).toBe('—');
  });

  it('offers only the allowed steps and asks a reason to reject', async () => {
    const { requests } = mockApi({
      'POST /api/v1/ledger/items/7/transitions': () => json(item({ status: 'rejected', allowed_transitions: ['open'] })),
    });
    const user = userEvent.setup();
    renderWithProviders(<ItemActions item={item()} />);
    const actions = screen.getByTestId('ledger-actions');
    expect(within(actions).getAllByRole('button').map((b) => b.textContent?.replace(/\s/g, ''))).toEqual(['开始整改', '不予整改']);
    await user.click(within(actions).getByRole('button', { name: /不予整改/ }));
    await user.click(await screen.findByRole('button', { name: /确\s*定/ }));
    expect(await screen.findByText('请说明原因')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
    await user.type(screen.getByRole('textbox'), '不属于本乡镇职责');
    await user.click(screen.getByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(await requests[0].json()).toEqual({ to: 'rejected', note: '不属于本乡镇职责' });
    expect(actionKey('done', 'in_progress')).toBe('send_back');
    expect(actionKey('open', 'in_progress')).toBe('in_progress');
  });

  it('hides the actions when the user may take no step', () => {
    renderWithProviders(<ItemActions item={item({ status: 'verified', allowed_transitions: [] })} />);
    expect(screen.queryByTestId('ledger-actions')).not.toBeInTheDocument();
  });

  it('draws the history with sending back in its own words', () => {
    const base: LedgerEvent = {
      id: 1,
      at: '2026-09-01T01:00:00Z',
      kind: 'created',
      action: null,
      from_status: null,
      to_status: 'open',
      actor_name: '组织部干事',
      note: 'opinion 3 (ballot)',
    };
    renderWithProviders(
      <ItemTimeline
        events={[
          base,
          { ...base, id: 2, kind: 'status', action: 'send_back', from_status: 'done', to_status: 'in_progress', note: '佐证不全' },
        ]}
      />,
    );
    expect(screen.getByText('立项')).toBeInTheDocument();
    expect(screen.getByText('退回重改')).toBeInTheDocument();
    expect(screen.getByText('佐证不全')).toBeInTheDocument();
  });

  it('says how an opinion was filed, and who acted, in words', () => {
    const base: LedgerEvent = {
      id: 1,
      at: '2026-09-01T01:00:00Z',
      kind: 'created',
      action: null,
      from_status: null,
      to_status: 'open',
      actor_name: 'system',
      note: 'opinion 105 (paper)',
    };
    renderWithProviders(<ItemTimeline events={[base, { ...base, id: 2, kind: 'opinion_added', note: 'opinion 3 (ballot)', actor_name: '组织部干事' }]} />);
    const timeline = screen.getByTestId('ledger-timeline');
    expect(screen.getByText('意见 105（纸质）')).toBeInTheDocument();
    expect(screen.getByText('意见 3（测评票）')).toBeInTheDocument();
    expect(timeline).toHaveTextContent('系统');
    expect(timeline).not.toHaveTextContent(/opinion|paper|ballot|system/);
  });

  it('shows a kanban column per status with its count', async () => {
    mockApi({
      'GET /api/v1/ledger/items': (_request, url) => {
        const status = url.searchParams.get('status');
        return json(page(status === 'open' ? [item()] : [], status === 'open' ? 45 : 0, 30));
      },
    });
    renderWithProviders(<Kanban query={{ category: '班子建设' }} />);
    const open = screen.getByTestId('kanban-open');
    expect(await within(open).findByText('班子成员分工不够明确')).toBeInTheDocument();
    expect(within(open).getByText('另有 44 项')).toBeInTheDocument();
    for (const status of ['in_progress', 'done', 'verified', 'rejected']) {
      expect(screen.getByTestId(`kanban-${status}`)).toBeInTheDocument();
    }
  });

  it('imports only after a clean dry run, and offers the error sheet otherwise', async () => {
    const checked: OpinionImportResult = { import_id: 3, dry_run: true, applied: false, rows: 2, created: 2, errors: [] };
    const { requests } = mockApi({
      'POST /api/v1/cycles/1/opinions/imports': (_request, url) =>
        json(url.searchParams.get('dry_run') === 'true' ? checked : { ...checked, import_id: 4, dry_run: false, applied: true }),
    });
    const user = userEvent.setup();
    const { container, unmount } = renderWithProviders(<OpinionImportPanel cycleId={1} />);
    await user.upload(container.querySelector('input[type="file"]') as HTMLInputElement, new File(['x'], 'paper.xlsx'));
    expect(await screen.findByTestId('opinion-import-checked')).toHaveTextContent('2 行');
    await user.click(screen.getByTestId('opinion-import-apply'));
    expect(await screen.findByTestId('opinion-import-done')).toHaveTextContent('已导入 2 条意见');
    expect(requests.map((r) => new URL(r.url).searchParams.get('dry_run'))).toEqual(['true', 'false']);
    unmount();

    mockApi({
      'POST /api/v1/cycles/1/opinions/imports': () =>
        json({ ...checked, created: 0, errors: [{ row: 3, column: 'category', message: 'not one of the cycle’s categories' }] }),
    });
    const second = renderWithProviders(<OpinionImportPanel cycleId={1} />);
    await user.upload(second.container.querySelector('input[type="file"]') as HTMLInputElement, new File(['x'], 'bad.xlsx'));
    expect(await screen.findByTestId('opinion-import-failed')).toHaveTextContent('1 处错误');
    expect(screen.getByTestId('opinion-import-error-sheet')).toBeInTheDocument();
    expect(screen.queryByTestId('opinion-import-apply')).not.toBeInTheDocument();
  });

  it('shows the public board per township without people', () => {
    const board: LedgerBoard = {
      cycle: { id: 1, name: '2013年上半年' },
      cycles: [{ id: 1, name: '2013年上半年' }],
      as_of: '2026-11-26',
      total: FIGURES,
      orgs: [
        {
          org: { id: 2, code: '410326101', name: '城关镇' },
          figures: { ...FIGURES, total: 30 },
          items: [{ id: 7, title: '班子成员分工不够明确', category: '班子建设', measures: '明确分工', status: 'verified', due_date: '2026-11-30', overdue: false }],
        },
      ],
    };
    renderWithProviders(<BoardView board={board} />);
    expect(within(screen.getByTestId('board-total')).getByText('405')).toBeInTheDocument();
    expect(screen.getByText('城关镇')).toBeInTheDocument();
    expect(screen.getByText('本页只公示整改事项与进度，不含个人信息。')).toBeInTheDocument();
  });

  it('says so when nothing is published yet', () => {
    const empty: LedgerBoard = { cycle: null, cycles: [], as_of: '2026-11-26', total: FIGURES, orgs: [] };
    renderWithProviders(<BoardView board={empty} />);
    expect(screen.getByTestId('board-empty')).toHaveTextContent('暂无公开的整改进度');
  });

  it('marks an item public only with a title of its own, and names a quoted opinion at the field', async () => {
    const { requests } = mockApi({
      'PUT /api/v1/ledger/items/7/publicity': async (request) => {
        const body = (await request.clone().json()) as { public_title: string };
        if (body.public_title === '班子成员分工不够明确') {
          return problem(400, 'Invalid input', { errors: [{ loc: ['body', 'public_title'], msg: 'repeats an anonymous opinion' }] });
        }
        return json(item({ public: true, public_title: body.public_title }));
      },
    });
    const user = userEvent.setup();
    renderWithProviders(<PublicityCard item={item()} />);
    // The item's own title is not offered: for a ballot comment it is the comment itself.
    expect(screen.getByTestId('publicity-title')).toHaveValue('');
    await user.click(screen.getByTestId('publicity-switch'));
    await user.click(screen.getByTestId('publicity-save'));
    expect(await screen.findByText('公示时须填写公示标题')).toBeInTheDocument();
    expect(requests).toHaveLength(0);

    await user.type(screen.getByTestId('publicity-title'), '班子成员分工不够明确');
    await user.click(screen.getByTestId('publicity-save'));
    expect(await screen.findByText('公示标题不能照抄匿名意见，请换一种说法')).toBeInTheDocument();

    await user.clear(screen.getByTestId('publicity-title'));
    await user.type(screen.getByTestId('publicity-title'), ' 明确班子成员分工 ');
    await user.click(screen.getByTestId('publicity-save'));
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(await requests[1].json()).toEqual({ public: true, public_title: '明确班子成员分工' });
    expect(await screen.findByText('公示设置已保存')).toBeInTheDocument();
  });

  it('withdraws an item from the board without asking for a title', async () => {
    const { requests } = mockApi({
      'PUT /api/v1/ledger/items/7/publicity': () => json(item()),
    });
    const user = userEvent.setup();
    renderWithProviders(<PublicityCard item={item({ public: true, public_title: '明确班子成员分工' })} />);
    expect(screen.getByTestId('publicity-title')).toHaveValue('明确班子成员分工');
    await user.click(screen.getByTestId('publicity-switch'));
    await user.clear(screen.getByTestId('publicity-title'));
    await user.click(screen.getByTestId('publicity-save'));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(await requests[0].json()).toEqual({ public: false, public_title: null });
  });

  it('lists on the board only the items it is given, and says so for a township with none', async () => {
    const board: LedgerBoard = {
      cycle: { id: 1, name: '2013年上半年' },
      cycles: [{ id: 1, name: '2013年上半年' }],
      as_of: '2026-11-26',
      total: FIGURES,
      orgs: [
        {
          org: { id: 2, code: '410326101', name: '城关镇' },
          figures: { ...FIGURES, total: 30 },
          items: [{ id: 7, title: '明确班子成员分工', category: '班子建设', measures: null, status: 'verified', due_date: '2026-11-30', overdue: false }],
        },
        { org: { id: 3, code: '410326104', name: '小店镇' }, figures: { ...FIGURES, total: 12 }, items: [] },
      ],
    };
    const user = userEvent.setup();
    renderWithProviders(<BoardView board={board} />);
    expect(screen.getByTestId('board-orgs')).toHaveTextContent('整改事项 12');
    await user.click(screen.getByText('城关镇'));
    expect(await screen.findByText('明确班子成员分工')).toBeInTheDocument();
    await user.click(screen.getByText('小店镇'));
    expect(await screen.findByText('暂无公示事项')).toBeInTheDocument();
  });
});
