import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { LedgerItem } from '../api/types';
import { BatchBar, commonSteps, defaultTarget, mergeable, stepKey, stepNeedsReason } from '../features/ledger/components/BatchBar';
import { DuplicatesPanel } from '../features/ledger/components/DuplicatesPanel';
import { ReportReviewTable } from '../features/reports/components/ReportReviewTable';
import { awaitingNotice, NoticeBatchModal } from '../features/results/components/NoticeBatch';
import { json, mockApi, page, problem } from '../test/api';
import { report } from '../test/fixtures';
import { renderWithProviders } from '../test/render';
import { resultItem } from '../test/results';

function item(overrides: Partial<LedgerItem> = {}): LedgerItem {
  return {
    id: 7,
    cycle: { id: 1, name: '2013年上半年乡镇党委书记抓基层党建述职评议' },
    org: { id: 2, code: '410326104', name: '小店镇' },
    owner: null,
    category: '班子建设',
    title: '班子成员分工不够明确',
    measures: null,
    status: 'done',
    status_reason: null,
    start_date: '2013-09-02',
    due_days: 60,
    due_date: '2013-11-29',
    working_days_left: null,
    overdue: false,
    due_soon: false,
    done_date: '2013-10-01',
    verified_date: null,
    opinion_count: 1,
    allowed_transitions: ['verified', 'in_progress', 'rejected'],
    public: false,
    public_title: null,
    created_at: '2013-09-02T01:00:00Z',
    updated_at: '2013-09-02T01:00:00Z',
    ...overrides,
  };
}

const refused = (errors: { loc: (string | number)[]; msg: string }[]) =>
  problem(409, '未作任何更改', { code: 'batch-refused', detail: '……', errors, refused_ids: [] });

// antd modals and forms render slowly on a loaded machine: allow these more time than the default.
describe('batch confirmations', { timeout: 45_000 }, () => {
  it('accepts the selected submitted reports after naming each unit', async () => {
    const reports = [
      report({ id: 1, org: { id: 1, code: '410326101', name: '城关镇' }, title: '城关镇述职报告', status: 'submitted' }),
      report({ id: 2, org: { id: 2, code: '410326104', name: '小店镇' }, title: '小店镇述职报告', status: 'submitted' }),
      report({ id: 3, org: { id: 3, code: '410326105', name: '三屯镇' }, title: '三屯镇述职报告', status: 'accepted' }),
    ];
    const { requests } = mockApi({
      'GET /api/v1/reports': () => json(page(reports)),
      'POST /api/v1/reports/batch/accept': () => json(reports.slice(0, 2).map((r) => ({ ...r, status: 'accepted' }))),
    });
    const user = userEvent.setup();
    renderWithProviders(<ReportReviewTable cycleId={1} canReview />);
    const table = await screen.findByTestId('report-table');
    await within(table).findByText('城关镇述职报告');
    // Select all takes only the submitted ones: the accepted report is not offered.
    const boxes = within(table).getAllByRole('checkbox');
    await user.click(boxes[0]);
    await user.click(screen.getByRole('button', { name: '批量通过（2）' }));
    const dialog = await screen.findByTestId('report-batch-confirm');
    expect(within(dialog).getByText('将通过以下 2 个单位的述职报告：')).toBeInTheDocument();
    expect(within(dialog).getByText('城关镇 — 城关镇述职报告')).toBeInTheDocument();
    expect(within(dialog).getByText('小店镇 — 小店镇述职报告')).toBeInTheDocument();
    expect(within(dialog).queryByText(/三屯镇/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '确认通过 2 份' }));
    expect(await screen.findByText('已通过 2 份述职报告')).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST');
    expect(await post?.json()).toEqual({ report_ids: [1, 2] });
  });

  it('says which reports were refused and that nothing changed', async () => {
    const reports = [report({ id: 1, status: 'submitted' }), report({ id: 2, org: { id: 9, code: 'x', name: '三屯镇' }, status: 'submitted' })];
    mockApi({
      'GET /api/v1/reports': () => json(page(reports)),
      'POST /api/v1/reports/batch/accept': () =>
        refused([{ loc: ['body', 'report_ids', 1], msg: '述职报告 2：只有已提交的报告才能通过，这份是草稿' }]),
    });
    const user = userEvent.setup();
    renderWithProviders(<ReportReviewTable cycleId={1} canReview />);
    const table = await screen.findByTestId('report-table');
    await within(table).findAllByText('小店镇党委书记抓基层党建工作述职报告');
    await user.click(within(table).getAllByRole('checkbox')[0]);
    await user.click(screen.getByRole('button', { name: '批量通过（2）' }));
    await user.click(await screen.findByRole('button', { name: '确认通过 2 份' }));
    const error = await screen.findByTestId('report-batch-confirm-error');
    expect(within(error).getByText('以下 1 项无法办理，未作任何更改：')).toBeInTheDocument();
    expect(within(error).getByText('述职报告 2：只有已提交的报告才能通过，这份是草稿')).toBeInTheDocument();
  });

  it('offers the steps every selected item may take, and says what each will become', () => {
    const done = item();
    const open = item({ id: 8, status: 'open', allowed_transitions: ['in_progress', 'rejected'] });
    expect(commonSteps([done, item({ id: 9 })])).toEqual(['verified', 'in_progress', 'rejected']);
    expect(commonSteps([done, open])).toEqual(['in_progress', 'rejected']);
    expect(stepKey([done], 'in_progress')).toBe('send_back');
    expect(stepKey([open], 'in_progress')).toBe('in_progress');
    expect(stepNeedsReason([done, open], 'in_progress')).toBe(true);
    expect(stepNeedsReason([open], 'in_progress')).toBe(false);
    expect(mergeable([open, item({ id: 10, status: 'in_progress' })])).toBe(true);
    expect(mergeable([open, done])).toBe(false);
    expect(mergeable([open, item({ id: 10, status: 'open', org: { id: 3, code: 'y', name: '三屯镇' } })])).toBe(false);
    expect(defaultTarget([open, item({ id: 10, status: 'open', opinion_count: 3 })])).toBe(10);
  });

  it('verifies three items in one request after listing them', async () => {
    const selected = [item({ id: 7 }), item({ id: 8, title: '党员教育培训形式单一' }), item({ id: 9, title: '村级活动场所利用率不高' })];
    const { requests } = mockApi({
      'POST /api/v1/ledger/items/batch/transitions': () => json(selected.map((i) => ({ ...i, status: 'verified' }))),
    });
    const user = userEvent.setup();
    renderWithProviders(<BatchBar selected={selected} onDone={() => {}} onClear={() => {}} />);
    await user.click(screen.getByRole('combobox', { name: '选择要办理的步骤' }));
    await user.click(await screen.findByTitle('验收通过'));
    await user.click(screen.getByTestId('ledger-batch-move'));
    const dialog = await screen.findByTestId('ledger-batch-confirm');
    expect(within(dialog).getByText('将对以下 3 个事项执行“验收通过”，状态改为“已验收”：')).toBeInTheDocument();
    expect(within(dialog).getByText('#8 党员教育培训形式单一（小店镇，已完成待验收）')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '确认验收通过 3 项' }));
    expect(await screen.findByText('已验收通过 3 个事项')).toBeInTheDocument();
    expect(await requests[0]?.json()).toEqual({ item_ids: [7, 8, 9], to: 'verified' });
  });

  it('asks why before refusing several items', async () => {
    const { requests } = mockApi({ 'POST /api/v1/ledger/items/batch/transitions': () => json([]) });
    const user = userEvent.setup();
    renderWithProviders(<BatchBar selected={[item({ id: 7 }), item({ id: 8 })]} onDone={() => {}} onClear={() => {}} />);
    await user.click(screen.getByRole('combobox', { name: '选择要办理的步骤' }));
    await user.click(await screen.findByTitle('不予整改'));
    await user.click(screen.getByTestId('ledger-batch-move'));
    await user.click(await screen.findByRole('button', { name: '确认不予整改 2 项' }));
    expect(await screen.findByText('请说明原因（将写入每个事项）')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });

  it('merges the selected items into the one chosen to stay', async () => {
    const selected = [item({ id: 7, status: 'open' }), item({ id: 8, status: 'in_progress', opinion_count: 3 })];
    const { requests } = mockApi({ 'POST /api/v1/ledger/items/8/merge': () => json(item({ id: 8, opinion_count: 4 })) });
    const user = userEvent.setup();
    renderWithProviders(<BatchBar selected={selected} onDone={() => {}} onClear={() => {}} />);
    await user.click(screen.getByTestId('ledger-batch-merge'));
    const dialog = await screen.findByTestId('ledger-merge-confirm');
    expect(within(dialog).getByText(/其余 1 个事项并入其中/)).toBeInTheDocument();
    // The item with most opinions is kept unless another is chosen.
    expect(within(dialog).getByRole('radio', { name: /#8 班子成员分工不够明确/ })).toBeChecked();
    await user.click(screen.getByRole('button', { name: '确认合并' }));
    expect(await screen.findByText('已将 1 个事项并入 #8')).toBeInTheDocument();
    expect(await requests[0]?.json()).toEqual({ item_ids: [7] });
  });

  it('offers each group of near-identical items for merging with one click', async () => {
    const group = {
      org: { id: 2, code: '410326104', name: '小店镇' },
      target_id: 213,
      similarity: '0.92',
      items: [
        item({ id: 213, status: 'in_progress', title: '小店镇班子成员分工不够明确，抓党建合力不足', opinion_count: 2 }),
        item({ id: 900, status: 'open', title: '班子成员分工不够明确，抓党建合力不足' }),
      ],
    };
    const { requests } = mockApi({
      'GET /api/v1/ledger/duplicates': () => json({ cycle_id: 1, threshold: '0.85', groups: [group] }),
      'POST /api/v1/ledger/items/213/merge': () => json(group.items[0]),
    });
    const user = userEvent.setup();
    renderWithProviders(<DuplicatesPanel cycleId={1} />);
    const card = await screen.findByTestId('duplicate-group-410326104');
    expect(within(card).getByText('相似度 92%')).toBeInTheDocument();
    expect(within(card).getByText('保留')).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: '合并为一项' }));
    expect(await screen.findByText('将 #900 并入 #213“小店镇班子成员分工不够明确，抓党建合力不足”，意见来源均保留。确定合并吗？')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /确\s*定/ }));
    expect(await screen.findByText('已合并为 #213')).toBeInTheDocument();
    expect(await requests.find((r) => r.method === 'POST')?.json()).toEqual({ item_ids: [900] });
  });

  it('issues notices to every flagged unit still without one, naming each', async () => {
    const flagged = [resultItem({ report_id: 13, rank: 13, org_name: '王坪乡' }), resultItem({ report_id: 14, rank: 14, org_name: '蔡店乡' })];
    const units = awaitingNotice(flagged, new Set([13]));
    expect(units.map((u) => u.org_name)).toEqual(['蔡店乡']);
    const { requests } = mockApi({ 'POST /api/v1/cycles/1/notices/batch': () => json([{ id: 1 }, { id: 2 }], 201) });
    const user = userEvent.setup();
    renderWithProviders(<NoticeBatchModal cycleId={1} units={flagged} onClose={() => {}} />);
    const dialog = await screen.findByTestId('notice-batch-confirm');
    expect(within(dialog).getByText(/将向以下 2 个单位各发出一份整改通知书/)).toBeInTheDocument();
    expect(within(dialog).getByText('王坪乡（位次第 13 名）')).toBeInTheDocument();
    expect(within(dialog).getByText('蔡店乡（位次第 14 名）')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '确认发出 2 份' }));
    // The requirements are asked for before anything is sent.
    await waitFor(() => expect(requests).toHaveLength(0));
    await user.type(within(dialog).getByLabelText('整改要求'), '召开专题民主生活会');
    await user.click(screen.getByRole('button', { name: '确认发出 2 份' }));
    expect(await screen.findByText('已发出 2 份整改通知书')).toBeInTheDocument();
    const body = (await requests[0]?.json()) as { report_ids: number[]; measures: string; deadline_date: string };
    expect(body.report_ids).toEqual([13, 14]);
    expect(body.measures).toBe('召开专题民主生活会');
    expect(body.deadline_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
