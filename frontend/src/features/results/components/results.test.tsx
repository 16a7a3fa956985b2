import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import dayjs from 'dayjs';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import { json, mockApi, problem } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { explain, groupResult, notice, orgHistory, resultItem, results, resultsSummary } from '../../../test/results';
import { downloadResultsWorkbook } from '../api';
import { DownloadButton } from './DownloadButton';
import { ExplainDrawer } from './ExplainDrawer';
import { HistoryTable, OrgHistoryView } from './History';
import { defaultDeadline, NoticeTable } from './Notices';
import { PublishDialog } from './PublishDialog';
import { RankingTable } from './RankingTable';
import { ItemRadar, RankingChart, TierChart } from './ResultCharts';

// jsdom has no canvas: stand the chart in with a plain element carrying the same accessible label.
vi.mock('../../../components/charts/EChart', () => ({
  default: ({ label, testId }: { label: string; testId?: string }): ReactElement => (
    <div role="img" aria-label={label} data-testid={testId ?? 'echart'} />
  ),
}));

beforeEach(() => {
  tokenStore.set({ accessToken: 'staff-token', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
});

describe('ranking table', () => {
  it('shows each tier in its colour and the flags with their explanations', async () => {
    const items = [
      ...results().items,
      resultItem({
        report_id: 5,
        org_name: '内埠镇',
        rank: 5,
        tier: 'poor',
        flagged: true,
        vetoed: true,
        tier_rule: 'veto:safety',
        quorum_ok: false,
        consistency_flags: ['straight_lining:members'],
        groups: [groupResult({ key: 'members', name: '党员群众', ballots: 3, quorum: 5, quorum_ok: false })],
      }),
      resultItem({ report_id: 6, org_name: '柏树乡', total: null, rank: null, tier: null, incomplete: true, groups: [] }),
    ];
    renderWithProviders(<RankingTable items={items} maxTotal="100.00" />);
    const table = screen.getByTestId('ranking-table');
    expect(within(table).getAllByText('总分（满分 100.00）').length).toBeGreaterThan(0);
    expect(within(table).getByTestId('tier-good')).toHaveTextContent('好');
    expect(within(table).getByTestId('tier-good')).toHaveClass('ant-tag-green');
    expect(within(table).getByTestId('tier-fairly_good')).toHaveClass('ant-tag-blue');
    expect(within(table).getByTestId('tier-average')).toHaveClass('ant-tag-orange');
    for (const tag of within(table).getAllByTestId('tier-poor')) expect(tag).toHaveClass('ant-tag-red');
    expect(within(table).getByTestId('tier-none')).toHaveTextContent('未评定');

    const rows = within(table).getAllByRole('row').filter((row) => row.classList.contains('ant-table-row'));
    expect(rows.map((row) => row.querySelector('td:nth-child(2)')?.textContent)).toEqual(['1', '2', '3', '4', '5', '—']);
    expect(within(rows[4]!).getByText('一刀切打分', { exact: false })).toHaveTextContent('党员群众：一刀切打分');
    expect(within(rows[5]!).getByTestId('flag-incomplete')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.hover(within(rows[4]!).getByTestId('flag-quorum'));
    expect(await screen.findByText(/有评议组未达到法定票数：党员群众 3\/5 票/)).toBeInTheDocument();
    await user.hover(within(rows[4]!).getByTestId('flag-vetoed'));
    expect(await screen.findByText(/一票否决（safety），定为较差/)).toBeInTheDocument();
  });

  it('says in place of a withheld group score, approval rate and tier counts that too few ballots stand behind them', async () => {
    const withheld = { score: null, approval_rate: null, tier_counts: null, hidden_below: 3 };
    const item = resultItem({
      report_id: 1,
      org_name: '城关镇',
      groups: [
        groupResult({ key: 'leaders', name: '上级领导', ballots: 1, dropped: 0, ...withheld, withheld: 'few_ballots' }),
        groupResult({ ...withheld, withheld: 'complement' }),
        groupResult({ key: 'members', name: '党员群众', ballots: 8, score: '86.53' }),
      ],
    });
    renderWithProviders(<RankingTable items={[item]} maxTotal="100.00" />);
    const table = screen.getByTestId('ranking-table');
    const row = within(table).getAllByRole('row').find((r) => r.classList.contains('ant-table-row'))!;
    // The group detail (the expanded row) keeps the count of ballots and withholds the rest.
    await userEvent.click(within(row).getByRole('button', { name: /展开|Expand/ }));
    const detail = await screen.findByTestId('group-detail-1');
    const line = (name: string) => within(detail).getByText(name).closest('tr')!;
    expect(within(line('上级领导')).getByText('1 / 5')).toBeInTheDocument();
    expect(within(line('上级领导')).getByText('不足 3 票，不显示')).toBeInTheDocument();
    expect(within(line('上级领导')).getAllByText('不显示')).toHaveLength(2);
    expect(within(line('两代表一委员')).getByText('不显示，以免推算出不足 3 票分组的得分')).toBeInTheDocument();
    expect(line('党员群众')).toHaveTextContent('86.53');
    expect(line('党员群众')).toHaveTextContent('88.9%');
  });

  it('opens the explanation and the history from a row', async () => {
    const onExplain = vi.fn();
    const onHistory = vi.fn();
    renderWithProviders(<RankingTable items={results().items} maxTotal="100.00" onExplain={onExplain} onHistory={onHistory} />);
    const user = userEvent.setup();
    await user.click(screen.getByTestId('explain-4'));
    expect(onExplain).toHaveBeenCalledWith(expect.objectContaining({ report_id: 4, org_name: '新村乡' }));
    await user.click(screen.getAllByRole('button', { name: '历次结果' })[0]!);
    expect(onHistory).toHaveBeenCalledWith(expect.objectContaining({ report_id: 1 }));
  });

  it("lets a secretary open only their own organisation's history", () => {
    const items = results().items;
    renderWithProviders(<RankingTable items={items} maxTotal="100.00" onHistory={() => {}} ownOrgId={items[3]!.org_id} />);
    expect(screen.getAllByRole('button', { name: '历次结果' })).toHaveLength(1);
    expect(screen.getByText('（本单位）')).toBeInTheDocument();
  });
});

describe('charts', () => {
  it('rank the totals and count the tiers, with the figures in their labels', async () => {
    const items = [...results().items, resultItem({ report_id: 6, org_name: '柏树乡', total: null, rank: null, tier: null, incomplete: true })];
    renderWithProviders(
      <>
        <RankingChart items={items} maxTotal="100.00" />
        <TierChart items={items} />
      </>,
    );
    const ranking = await screen.findByTestId('ranking-chart');
    expect(ranking).toHaveAttribute('aria-label', '总分排名: 城关镇 91.20, 上店镇 84.96, 付店镇 70.00, 新村乡 45.33');
    expect(await screen.findByTestId('tier-chart')).toHaveAttribute('aria-label', '等次分布: 好 1, 较好 1, 一般 1, 较差 1, 未评定 1');
  });

  it('set a report\'s item averages against the county, and switch reports', async () => {
    mockApi({
      'GET /api/v1/cycles/3/results/item-averages': () =>
        json({
          cycle_id: 3,
          items: [
            { key: 'duty', title: '履职情况', max_points: '40.00' },
            { key: 'overall', title: '总体评价', max_points: '60.00' },
          ],
          county: { duty: '30.50', overall: '51.00' },
          reports: [
            { report_id: 1, org_name: '城关镇', averages: { duty: '35.25', overall: '42.00' } },
            { report_id: 2, org_name: '上店镇', averages: { duty: '28.00', overall: '55.50' } },
          ],
        }),
    });
    renderWithProviders(<ItemRadar cycleId={3} defaultReportId={2} />);
    const radar = await screen.findByTestId('radar-chart');
    expect(radar).toHaveAttribute('aria-label', '各测评项目平均分与全县平均: 上店镇 履职情况 28 / 30.5, 总体评价 55.5 / 51');
    await userEvent.click(screen.getByRole('combobox', { name: '选择述职单位' }));
    await userEvent.click(await screen.findByTitle('城关镇'));
    await waitFor(() =>
      expect(screen.getByTestId('radar-chart')).toHaveAttribute(
        'aria-label',
        '各测评项目平均分与全县平均: 城关镇 履职情况 35.25 / 30.5, 总体评价 42 / 51',
      ),
    );
  });

  it('say when a report has too few ballots for its item averages to be shown', async () => {
    mockApi({
      'GET /api/v1/cycles/3/results/item-averages': () =>
        json({
          cycle_id: 3,
          items: [{ key: 'duty', title: '履职情况', max_points: '40.00' }],
          county: { duty: '30.50' },
          reports: [{ report_id: 1, org_name: '城关镇', averages: {}, withheld: true, hidden_below: 3 }],
        }),
    });
    renderWithProviders(<ItemRadar cycleId={3} />);
    expect(await screen.findByText('该单位不足 3 票，不显示')).toBeInTheDocument();
    expect(screen.queryByTestId('radar-chart')).not.toBeInTheDocument();
  });

  it('say when there are no item averages to compare', async () => {
    mockApi({
      'GET /api/v1/cycles/3/results/item-averages': () => json({ cycle_id: 3, items: [], county: {}, reports: [] }),
    });
    renderWithProviders(<ItemRadar cycleId={3} />);
    expect(await screen.findByText('还没有可比较的分项得分')).toBeInTheDocument();
  });
});

describe('publish dialog', () => {
  it('asks for a quorum override reason when the server answers 409 for it, then publishes with it', async () => {
    let calls = 0;
    const { requests } = mockApi({
      'POST /api/v1/cycles/3/results/publish': () => {
        calls += 1;
        if (calls === 1) {
          return problem(409, 'Invalid state', {
            detail: 'A group misses its quorum; publish with quorum_override_reason to override',
            errors: [{ loc: ['body', 'quorum_override_reason'], msg: 'required: a group misses its quorum' }],
          });
        }
        return json(resultsSummary({ status: 'published', published_at: '2013-07-11T02:00:00Z', publishable: false }));
      },
    });
    const onPublished = vi.fn();
    const onClose = vi.fn();
    renderWithProviders(<PublishDialog cycleId={3} results={results()} onClose={onClose} onPublished={onPublished} />);
    expect(screen.queryByTestId('publish-reason')).not.toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '确认发布' }));
    expect(await screen.findByTestId('publish-reason')).toBeInTheDocument();
    expect(screen.getByText('有评议组未达到法定票数，请填写越过法定票数发布的理由')).toBeInTheDocument();
    expect(onPublished).not.toHaveBeenCalled();
    expect(await requests[0]!.json()).toEqual({});

    await user.type(screen.getByTestId('publish-reason'), '汛期抢险，经部务会研究同意');
    await user.click(screen.getByRole('button', { name: '确认发布' }));
    await waitFor(() => expect(onPublished).toHaveBeenCalledWith(expect.objectContaining({ status: 'published' })));
    expect(onClose).toHaveBeenCalled();
    expect(await requests[1]!.json()).toEqual({ quorum_override_reason: '汛期抢险，经部务会研究同意' });
  });

  it('shows the groups short of quorum and requires a reason before sending anything', async () => {
    const { requests } = mockApi({});
    const short = results({
      blockers: ['新村乡: a group misses its quorum'],
      items: [
        resultItem({
          report_id: 4,
          org_name: '新村乡',
          quorum_ok: false,
          consistency_flags: ['identical_ballots:deputies'],
          groups: [groupResult({ key: 'deputies', name: '两代表一委员', ballots: 2, quorum: 5, quorum_ok: false })],
        }),
      ],
    });
    renderWithProviders(<PublishDialog cycleId={3} results={short} onClose={() => {}} />);
    expect(screen.getByTestId('publish-quorum')).toHaveTextContent('新村乡：两代表一委员 2/5');
    expect(screen.getByTestId('publish-consistency')).toHaveTextContent('两代表一委员：雷同票');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '确认发布' }));
    expect(await screen.findByText('有评议组未达到法定票数，请填写越过法定票数发布的理由')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });

  it('refuses to publish while a report is incomplete', () => {
    mockApi({});
    const incomplete = results({
      publishable: false,
      items: [...results().items, resultItem({ report_id: 9, org_name: '柏树乡', total: null, tier: null, rank: null, incomplete: true })],
    });
    renderWithProviders(<PublishDialog cycleId={3} results={incomplete} onClose={() => {}} />);
    expect(screen.getByTestId('publish-incomplete')).toHaveTextContent('柏树乡');
    expect(screen.getByRole('button', { name: '确认发布' })).toBeDisabled();
  });
});

describe('explanation drawer', () => {
  it('lists every ballot total, strikes through the dropped ones and lists each step', async () => {
    mockApi({ 'GET /api/v1/cycles/3/results/1/explain': () => json(explain()) });
    renderWithProviders(<ExplainDrawer cycleId={3} reportId={1} onClose={() => {}} />);
    expect(await screen.findByTestId('explain-content')).toBeInTheDocument();
    expect(screen.getByText('计分说明 · 城关镇')).toBeInTheDocument();
    expect(screen.getByTestId('explain-total')).toHaveTextContent('82.81');

    const deputies = screen.getByTestId('explain-ballots-deputies');
    const ballots = within(deputies).getAllByTestId('explain-ballot');
    expect(ballots.map((b) => b.textContent)).toEqual(['81.30', '90.00', '78.40', '76.90']);
    expect(ballots.map((b) => b.dataset.dropped)).toEqual(['false', 'true', 'false', 'true']);
    expect(ballots[1]!.querySelector('del')).toHaveTextContent('90.00');
    expect(ballots[0]!.querySelector('del')).toBeNull();
    expect(within(screen.getByTestId('explain-group-members')).getByText('无选票，不计入权重')).toBeInTheDocument();

    const steps = within(screen.getByTestId('explain-steps')).getAllByRole('listitem').map((li) => li.textContent);
    expect(steps).toEqual([
      '上级领导：2 票平均 = 85.00；× 权重 0.4000 = 34.00',
      '两代表一委员：去掉最高、最低各 1 票，其余 2 票平均 = 79.85；× 权重 0.3000 = 23.96',
      '党员群众：无选票，不计入权重',
      '测评得分 = Σ(权重 × 组得分) ÷ Σ权重（0.7000）= 82.81',
      '指标得分 = 0.00（未录入按 0 分：ledger）',
      '总分 = 82.81 + 0.00 = 82.81',
      '“较差”票占比 16.7%，限值 33.3%',
      '等次：较好（按分数线评定（总分占满分的比例））；位次：第 1 名',
    ]);
    expect(within(screen.getByTestId('explain-indicators')).getByText('未录入（按 0 分）')).toBeInTheDocument();
  });

  it('says how many ballots a withheld group has, and shows none of their totals', async () => {
    const base = explain();
    const leaders = { ...base.groups[0]!, ballots: [], ballot_count: 1, kept: 1, score: null, weighted: null, withheld: 'few_ballots' as const, hidden_below: 3 };
    const deputies = { ...base.groups[1]!, ballots: [], ballot_count: 4, score: null, weighted: null, withheld: 'complement' as const, hidden_below: 3 };
    mockApi({
      'GET /api/v1/cycles/3/results/1/explain': () =>
        json(explain({ groups: [leaders, deputies, base.groups[2]!], poor_share: null, poor_share_withheld: true })),
    });
    renderWithProviders(<ExplainDrawer cycleId={3} reportId={1} onClose={() => {}} />);
    const content = await screen.findByTestId('explain-content');
    expect(screen.getByTestId('explain-withheld-leaders')).toHaveTextContent('共 1 张选票，逐票得分不显示');
    expect(screen.getByTestId('explain-withheld-deputies')).toHaveTextContent('共 4 张选票，逐票得分不显示');
    expect(within(screen.getByTestId('explain-group-leaders')).getByText('不足 3 票，不显示')).toBeInTheDocument();
    expect(screen.queryAllByTestId('explain-ballot')).toHaveLength(0);
    for (const figure of ['80.00', '90.00', '85.00', '34.00']) expect(content).not.toHaveTextContent(figure);
    const steps = within(screen.getByTestId('explain-steps')).getAllByRole('listitem').map((li) => li.textContent);
    expect(steps.slice(0, 2)).toEqual([
      '上级领导：1 张选票，不足 3 票，不显示（仍计入测评得分）',
      '两代表一委员：4 张选票，不显示，以免推算出不足 3 票分组的得分（仍计入测评得分）',
    ]);
    expect(steps).toContain('“较差”票占比：不足 3 票，不显示');
  });

  it('names a veto and the flag', async () => {
    mockApi({
      'GET /api/v1/cycles/3/results/1/explain': () =>
        json(explain({ vetoes: { safety: '发生较大安全事故' }, tier: 'poor', tier_rule: 'veto:safety', flagged: true })),
    });
    renderWithProviders(<ExplainDrawer cycleId={3} reportId={1} onClose={() => {}} />);
    expect(await screen.findByTestId('explain-vetoes')).toHaveTextContent('safety: 发生较大安全事故');
    const steps = within(screen.getByTestId('explain-steps')).getAllByRole('listitem').map((li) => li.textContent);
    expect(steps).toContain('一票否决：safety');
    expect(steps.at(-1)).toBe('列入约谈和整改通知对象');
  });

  it('names indicators, formulas and vetoes by their titles', async () => {
    mockApi({
      'GET /api/v1/cycles/3/results/1/explain': () =>
        json(
          explain({
            indicators: [
              { key: 'petition_rate', title: '信访化解率', formula: 'petition_resolution_rate', max_points: '10.00', points: null, missing: true },
              { key: 'ledger', title: '整改落实', formula: 'ledger_completion', max_points: '5.00', points: '5.00', missing: false },
            ],
            vetoes: { major_incident: '发生较大安全事故' },
            item_titles: { petition_rate: '信访化解率', ledger: '整改落实', major_incident: '发生重大责任事故' },
            tier: 'poor',
            tier_rule: 'veto:major_incident',
            flagged: true,
          }),
        ),
    });
    renderWithProviders(<ExplainDrawer cycleId={3} reportId={1} onClose={() => {}} />);
    const content = await screen.findByTestId('explain-content');
    const indicators = screen.getByTestId('explain-indicators');
    expect(within(indicators).getByText('整改落实')).toBeInTheDocument();
    expect(within(indicators).getByText('整改完成率')).toBeInTheDocument();
    expect(screen.getByTestId('explain-vetoes')).toHaveTextContent('发生重大责任事故: 发生较大安全事故');
    const steps = within(screen.getByTestId('explain-steps')).getAllByRole('listitem').map((li) => li.textContent);
    expect(steps).toContain('指标得分 = 0.00（未录入按 0 分：信访化解率）');
    expect(steps).toContain('一票否决：发生重大责任事故');
    for (const key of ['petition_rate', 'petition_resolution_rate', 'ledger_completion', 'major_incident']) {
      expect(within(content).queryAllByText(new RegExp(key))).toHaveLength(0);
    }
  });

  it('says plainly why an explanation could not be loaded', async () => {
    mockApi({ 'GET /api/v1/cycles/3/results/1/explain': () => problem(403, 'Forbidden', { detail: 'Only the host explains' }) });
    renderWithProviders(<ExplainDrawer cycleId={3} reportId={1} onClose={() => {}} />);
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
    expect(screen.getByText('Only the host explains')).toBeInTheDocument();
  });
});

describe('Excel download', () => {
  let clicked: { href: string; download: string }[];
  beforeEach(() => {
    clicked = [];
    URL.createObjectURL = vi.fn(() => 'blob:results');
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('streams the workbook with the session header, shows progress and saves it under its own name', async () => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    const { requests } = mockApi({
      'GET /api/v1/cycles/3/results.xlsx': () =>
        new Response(body, {
          headers: {
            'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'Content-Length': '8',
            'Content-Disposition': "attachment; filename*=UTF-8''2013%E5%B9%B4-%E7%BB%BC%E5%90%88%E8%AF%84%E4%BB%B7%E7%BB%93%E6%9E%9C.xlsx",
          },
        }),
    });
    renderWithProviders(
      <DownloadButton testId="download-xlsx" download={(onProgress) => downloadResultsWorkbook(3, onProgress)}>
        导出 Excel
      </DownloadButton>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByTestId('download-xlsx'));
    const progress = await screen.findByTestId('download-xlsx-progress');
    await act(async () => controller.enqueue(new Uint8Array([1, 2, 3, 4])));
    await waitFor(() => expect(within(progress).getByText('50%')).toBeInTheDocument());
    await act(async () => {
      controller.enqueue(new Uint8Array([5, 6, 7, 8]));
      controller.close();
    });
    await waitFor(() => expect(clicked).toEqual([{ href: 'blob:results', download: '2013年-综合评价结果.xlsx' }]));
    await waitFor(() => expect(screen.queryByTestId('download-xlsx-progress')).not.toBeInTheDocument());
    const blob = vi.mocked(URL.createObjectURL).mock.calls[0]![0] as Blob;
    expect(blob.size).toBe(8);
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer staff-token');
    expect(new URL(requests[0]!.url).search).toBe('');
  });

  it('shows the bytes received when the server does not say the length', async () => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    mockApi({ 'GET /api/v1/cycles/3/results.xlsx': () => new Response(body) });
    renderWithProviders(
      <DownloadButton testId="download-xlsx" download={(onProgress) => downloadResultsWorkbook(3, onProgress)}>
        导出 Excel
      </DownloadButton>,
    );
    await userEvent.setup().click(screen.getByTestId('download-xlsx'));
    const progress = await screen.findByTestId('download-xlsx-progress');
    await act(async () => controller.enqueue(new Uint8Array(2048)));
    await waitFor(() => expect(progress).toHaveTextContent('已下载 2.0 KB'));
    await act(async () => controller.close());
    await waitFor(() => expect(clicked).toEqual([{ href: 'blob:results', download: 'results-3.xlsx' }]));
  });

  it('says why the server refused, and saves nothing', async () => {
    mockApi({ 'GET /api/v1/cycles/3/results.xlsx': () => problem(403, 'Forbidden', { detail: 'The results are not published yet' }) });
    renderWithProviders(
      <DownloadButton testId="download-xlsx" download={(onProgress) => downloadResultsWorkbook(3, onProgress)}>
        导出 Excel
      </DownloadButton>,
    );
    await userEvent.setup().click(screen.getByTestId('download-xlsx'));
    expect(await screen.findByText('无权访问: The results are not published yet')).toBeInTheDocument();
    expect(clicked).toEqual([]);
  });
});

describe('notices', () => {
  it('shows status and overdue, and lets the notified secretary acknowledge', async () => {
    const own = notice();
    const other = notice({ id: 6, org_id: 105, org_name: '柏树乡', number: '汝组整〔2013〕2号', overdue: true });
    const done = notice({ id: 7, org_id: 104, status: 'acknowledged', acknowledged_at: '2013-08-02T02:00:00Z', number: '3号' });
    const { requests } = mockApi({ 'POST /api/v1/notices/5/acknowledge': () => json({ ...own, status: 'acknowledged' }) });
    renderWithProviders(<NoticeTable notices={[own, other, done]} canAcknowledge={(n) => n.org_id === 104} />);
    expect(screen.getByTestId('notice-overdue')).toHaveTextContent('已逾期');
    expect(screen.getByTestId('notice-status-acknowledged')).toHaveTextContent('已签收');
    expect(screen.queryByTestId('acknowledge-6')).not.toBeInTheDocument();
    expect(screen.queryByTestId('acknowledge-7')).not.toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('acknowledge-5'));
    await user.click(await screen.findByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toContain('POST /api/v1/notices/5/acknowledge'));
  });

  it('defaults the deadline to 30 days after today in Beijing', () => {
    // 17:00 UTC on 1 March is already 2 March in Beijing.
    expect(defaultDeadline(dayjs.utc('2024-03-01T17:00:00Z')).format('YYYY-MM-DD')).toBe('2024-04-01');
    expect(defaultDeadline(dayjs.utc('2024-03-01T15:00:00Z')).format('YYYY-MM-DD')).toBe('2024-03-31');
  });
});

describe('history', () => {
  it('marks the cycle flagged twice and warns about consecutive flags', async () => {
    mockApi({ 'GET /api/v1/orgs/104/results-history': () => json(orgHistory()) });
    renderWithProviders(<OrgHistoryView orgId={104} />);
    expect(await screen.findByTestId('history-consecutive')).toHaveTextContent('连续两个周期被列为约谈整改对象');
    expect(await screen.findByTestId('history-chart')).toHaveAttribute(
      'aria-label',
      '新村乡 历次总分与位次: 2012年下半年 60.10 #7, 2013年上半年 45.33 #8',
    );
    const rows = within(screen.getByTestId('history-table')).getAllByRole('row').filter((row) => row.classList.contains('ant-table-row'));
    expect(within(rows[1]!).getByTestId('history-flagged-twice')).toHaveTextContent('连续两次约谈');
    expect(within(rows[0]!).queryByTestId('history-flagged-twice')).toBeNull();
  });

  it('says when there is nothing yet', () => {
    renderWithProviders(<HistoryTable entries={[]} />);
    expect(screen.getByText('还没有已发布的评价结果')).toBeInTheDocument();
  });
});
