import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../../api/tokens';
import { ADMIN, json, mockApi, problem } from '../../../../test/api';
import { renderWithProviders } from '../../../../test/render';
import { ANLE, bulletin, completion, LILOU, programme, report, round } from '../../../../test/supervision';
import { BulletinActions } from './BulletinActions';
import { BulletinTable } from './BulletinTable';
import { ImportPanels } from './ImportPanels';
import { MonthlyPanel } from './MonthlyPanel';
import { SupervisionPanel } from './SupervisionPanel';
import { TargetBoardSection } from './TargetBoardSection';

// jsdom has no canvas: stand the chart in with a plain element carrying the same accessible label.
vi.mock('../../../../components/charts/EChart', () => ({
  default: ({ label, testId }: { label: string; testId?: string }): ReactElement => <div role="img" aria-label={label} data-testid={testId ?? 'echart'} />,
}));

const upload = vi.hoisted(() => vi.fn());
vi.mock('../../../../api/upload', () => ({ uploadFile: upload }));

const SECRETARY = { ...ADMIN, id: 5, username: 's410311101', full_name: '安乐镇秘书', role: 'secretary' as const, org_id: ANLE.id, org_name: ANLE.name };

beforeEach(() => {
  tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
});

describe('bulletin table', () => {
  it('ranks the units with the light in words, the change in words and the veto mark', () => {
    renderWithProviders(<BulletinTable content={bulletin()} />);
    const rows = screen.getAllByRole('row').filter((row) => row.getAttribute('data-unit'));
    expect(rows.map((row) => row.getAttribute('data-unit'))).toEqual(['安乐镇', '古城办']);
    const [anle, gucheng] = rows as [HTMLElement, HTMLElement];
    expect(within(anle).getByTestId('bulletin-rank')).toHaveTextContent('1');
    expect(within(anle).getByText('绿灯')).toBeInTheDocument();
    expect(within(anle).getByText('上升 25.0 个百分点')).toBeInTheDocument();
    expect(within(anle).getByTestId('bulletin-measure')).toHaveTextContent('75.0%3 / 4');
    expect(within(anle).queryByTestId('veto-mark')).not.toBeInTheDocument();
    expect(within(gucheng).getByText('红灯')).toBeInTheDocument();
    expect(within(gucheng).getByText('下降 10.0 个百分点')).toBeInTheDocument();
    expect(within(gucheng).getByTestId('veto-mark')).toHaveTextContent('一票否决（无落地项目）');
    expect(within(gucheng).getByTestId('bulletin-weighted')).toHaveTextContent('20.0%');
  });
});

describe('bulletin actions', { timeout: 30_000 }, () => {
  it('offers a unit only the downloads, never publishing', () => {
    renderWithProviders(<BulletinActions bulletin={bulletin({ may_publish: false })} />);
    expect(screen.getByTestId('bulletin-docx')).toBeInTheDocument();
    expect(screen.getByTestId('bulletin-xlsx')).toBeInTheDocument();
    expect(screen.queryByTestId('bulletin-publish')).not.toBeInTheDocument();
    expect(screen.queryByTestId('bulletin-withdraw')).not.toBeInTheDocument();
    expect(screen.queryByTestId('bulletin-delete')).not.toBeInTheDocument();
  });

  it('lets the office publish a draft, and says the API’s refusal', async () => {
    const user = userEvent.setup({ delay: null });
    mockApi({
      'POST /api/v1/targets/bulletins/11/publish': () =>
        problem(409, '通报还不能发布', { detail: '2013年10月尚未结束，11月1日起才能发布', code: 'bulletin-too-early' }),
    });
    renderWithProviders(<BulletinActions bulletin={bulletin({ may_publish: true })} />);
    expect(screen.queryByTestId('bulletin-withdraw')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('bulletin-publish'));
    await user.click(await screen.findByRole('button', { name: '确 定' }));
    expect(await screen.findByText(/2013年10月尚未结束/)).toBeInTheDocument();
  });

  it('withdraws a published bulletin with the reason given', async () => {
    const user = userEvent.setup({ delay: null });
    const { requests } = mockApi({
      'POST /api/v1/targets/bulletins/11/withdraw': () => json(bulletin({ may_publish: true, status: 'draft' })),
    });
    renderWithProviders(<BulletinActions bulletin={bulletin({ may_publish: true, status: 'published', published_at: '2013-11-02T02:00:00Z' })} />);
    expect(screen.queryByTestId('bulletin-publish')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('bulletin-withdraw'));
    await user.type(await screen.findByTestId('withdraw-reason'), '古城办数据有误');
    await user.click(screen.getByRole('button', { name: '撤 回' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(await requests[0]!.json()).toEqual({ reason: '古城办数据有误' });
  });
});

describe('monthly reports', { timeout: 60_000 }, () => {
  it('lists the units not reported, shows the pipeline’s figures before submitting, and says why a locked month is refused', async () => {
    const user = userEvent.setup({ delay: null });
    const { requests } = mockApi({
      'GET /api/v1/targets/programmes/3/monthly-reports': () => json([report()]),
      'GET /api/v1/targets/programmes/3/monthly-reports/missing': () => json([LILOU]),
      'GET /api/v1/targets/programmes/3/completion': () => json(completion()),
      'POST /api/v1/targets/programmes/3/monthly-reports': () =>
        problem(409, '月报已锁定', { detail: '2013-10的通报已发布，该月月报不能再修改', code: 'report-locked' }),
    });
    renderWithProviders(<MonthlyPanel programme={programme()} user={SECRETARY} />, { route: '/?month=2013-10' });
    const missing = await screen.findByTestId('report-missing');
    expect(missing).toHaveTextContent('未报送单位（1 个）');
    expect(within(missing).getByText('李楼镇')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').filter((row) => row.getAttribute('data-unit'));
    expect(rows.map((row) => [row.getAttribute('data-unit'), within(row).getByTestId('report-status').textContent])).toEqual([
      ['安乐镇', '已报送'],
      ['李楼镇', '未报送'],
    ]);
    expect(screen.getByTestId('report-summary')).toHaveTextContent('应报 2 个单位，已报 1 个，未报 1 个');

    await user.click(within(rows[1]!).getByTestId('report-submit'));
    const preview = await screen.findByTestId('report-preview');
    expect(within(preview).getByText('签约项目数（个）')).toBeInTheDocument();
    expect(within(preview).getByText('75.0%')).toBeInTheDocument();
    expect(screen.getByTestId('report-preview-weighted')).toHaveTextContent('加权完成率：62.5%');
    const asked = requests.find((request) => request.url.includes('/completion'))!;
    expect(new URL(asked.url).searchParams.get('as_of')).toBe('2013-10-31');
    await user.type(screen.getByTestId('report-note'), '新签约3个');
    await user.click(screen.getByTestId('report-submit-ok'));
    expect(await screen.findByTestId('report-error')).toHaveTextContent('2013-10的通报已发布，该月月报不能再修改');
    const sent = requests.find((request) => request.method === 'POST')!;
    expect(await sent.json()).toEqual({ org_id: LILOU.id, month: '2013-10', note: '新签约3个' });
  });

  it('says a published month is locked and offers no report', async () => {
    mockApi({
      'GET /api/v1/targets/programmes/3/monthly-reports': () => json([report({ locked: true })]),
      'GET /api/v1/targets/programmes/3/monthly-reports/missing': () => json([]),
    });
    renderWithProviders(<MonthlyPanel programme={programme()} user={SECRETARY} />, { route: '/?month=2013-10' });
    expect(await screen.findByTestId('report-locked')).toHaveTextContent('本月通报已发布，月报不能再修改');
    expect(screen.getByTestId('report-missing')).toHaveTextContent('本月各单位均已报送');
    expect(screen.queryByTestId('report-submit')).not.toBeInTheDocument();
  });
});

describe('supervision', { timeout: 60_000 }, () => {
  it('shows a secretary the findings with their ledger items, and nothing to record', async () => {
    mockApi({ 'GET /api/v1/targets/programmes/3/supervision-rounds': () => json([round()]) });
    renderWithProviders(<SupervisionPanel programme={programme()} user={SECRETARY} />);
    const card = await screen.findByTestId('round');
    expect(within(card).getByText('人大')).toBeInTheDocument();
    expect(within(card).getByText('区人大常委会招商引资专题督查')).toBeInTheDocument();
    expect(within(card).getByText('古城办')).toBeInTheDocument();
    expect(within(card).getByTestId('finding-item')).toHaveAttribute('href', '/ledger/items/301');
    expect(within(card).getByTestId('finding-status')).toHaveTextContent('待整改');
    expect(screen.queryByTestId('round-add')).not.toBeInTheDocument();
    expect(screen.queryByTestId('finding-add')).not.toBeInTheDocument();
  });

  it('lets the host’s leader record a finding at a unit', async () => {
    const user = userEvent.setup({ delay: null });
    const { requests } = mockApi({
      'GET /api/v1/targets/programmes/3/supervision-rounds': () => json([round({ may_supervise: true })]),
      'GET /api/v1/orgs': () => json({ items: [{ ...ANLE, kind: 'township', parent_id: 1, is_active: true, doc_prefix: null, issuing_organ: null, children_count: 0, created_at: '2013-01-01T00:00:00Z' }], total: 1, limit: 500, offset: 0 }),
      'POST /api/v1/targets/supervision-rounds/4/findings': () => json(round().findings[0], 201),
    });
    const leader = { ...ADMIN, role: 'leader' as const, org_id: 1 };
    renderWithProviders(<SupervisionPanel programme={programme()} user={leader} />);
    expect(await screen.findByTestId('round-add')).toBeInTheDocument();
    await user.click(screen.getByTestId('finding-add'));
    const picker = await screen.findByTestId('finding-unit');
    await user.click(picker.querySelector('.ant-select-selector') ?? picker);
    await user.click(await screen.findByTitle('安乐镇'));
    await user.type(screen.getByTestId('finding-text'), '项目台账不全');
    const deadline = screen.getByTestId('finding-deadline');
    const input = deadline.tagName === 'INPUT' ? deadline : deadline.querySelector('input')!;
    await user.click(input);
    await user.type(input, '2013-11-30{Enter}');
    await user.click(screen.getByTestId('finding-save'));
    await waitFor(() => expect(requests.some((request) => request.method === 'POST')).toBe(true));
    const sent = requests.find((request) => request.method === 'POST')!;
    expect(await sent.json()).toEqual({ org_id: ANLE.id, visited_on: '2013-10-15', finding: '项目台账不全', deadline: '2013-11-30' });
  });
});

describe('imports', { timeout: 30_000 }, () => {
  it('sends the targets sheet to the targets import as a dry run first', async () => {
    const user = userEvent.setup({ delay: null });
    upload.mockResolvedValue({ dry_run: true, applied: false, rows: 3, units: 3, targets: 12, errors: [] });
    const { container } = renderWithProviders(<ImportPanels programme={programme({ may_manage: true })} />);
    const inputs = container.querySelectorAll('input[type="file"]');
    expect(inputs).toHaveLength(2);
    await user.upload(inputs[0] as HTMLInputElement, new File(['x'], 'targets.xlsx'));
    expect(await screen.findByTestId('targets-import-checked')).toHaveTextContent('检查通过：3 行，3 个单位，12 项目标，可以导入');
    expect(upload.mock.calls[0]![0]).toBe('/api/v1/targets/programmes/3/targets/import?dry_run=true');
    upload.mockResolvedValue({ dry_run: false, applied: true, rows: 3, units: 3, targets: 12, errors: [] });
    await user.click(screen.getByTestId('targets-import-apply'));
    expect(await screen.findByTestId('targets-import-done')).toHaveTextContent('已导入 3 个单位的 12 项目标');
    expect(upload.mock.calls[1]![0]).toBe('/api/v1/targets/programmes/3/targets/import?dry_run=false');
  });

  it('sends the progress sheet to the projects import, and lists its errors by row and column; a unit cannot import targets', async () => {
    const user = userEvent.setup({ delay: null });
    upload.mockReset();
    upload.mockResolvedValue({
      dry_run: true,
      applied: false,
      rows: 2,
      created: 1,
      updated: 0,
      moved: 1,
      unchanged: 0,
      errors: [{ row: 3, column: '阶段', message: '没有“落成”这个阶段' }],
    });
    const { container } = renderWithProviders(<ImportPanels programme={programme({ may_manage: false })} />);
    expect(screen.getByText('目标任务由目标方案的管理单位导入')).toBeInTheDocument();
    const inputs = container.querySelectorAll('input[type="file"]');
    expect(inputs).toHaveLength(1);
    await user.upload(inputs[0] as HTMLInputElement, new File(['x'], 'progress.xlsx'));
    const errors = await screen.findByTestId('projects-import-errors');
    expect(within(errors).getByText('阶段')).toBeInTheDocument();
    expect(within(errors).getByText('没有“落成”这个阶段')).toBeInTheDocument();
    expect(upload.mock.calls[0]![0]).toBe('/api/v1/targets/programmes/3/projects/import?dry_run=true');
    expect(screen.queryByTestId('projects-import-apply')).not.toBeInTheDocument();
  });
});

describe('public board', { timeout: 30_000 }, () => {
  it('shows nothing while no bulletin is published', async () => {
    const { requests } = mockApi({ 'GET /api/v1/public/target-board': () => problem(404, '没有已发布的通报') });
    const { container } = renderWithProviders(<TargetBoardSection />);
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]!.headers.get('Authorization')).toBeNull();
    expect(container.querySelector('[data-testid="target-board"]')).toBeNull();
  });

  it('ranks the latest published bulletin’s units with lights in words and a chart', async () => {
    const b = bulletin({ status: 'published', published_at: '2013-11-02T02:00:00Z' });
    mockApi({
      'GET /api/v1/public/target-board': () =>
        json({ programmes: [b.programme], bulletin: { ...b, id: b.id, published_at: b.published_at } }),
    });
    renderWithProviders(<TargetBoardSection />);
    expect(await screen.findByTestId('target-board-bulletin')).toHaveTextContent('关于2013年10月份招商引资目标责任完成情况的通报（第2期，截至 2013-10-31）');
    expect(screen.getByText(/发布于 2013-11-02 10:00:00/)).toBeInTheDocument();
    const units = screen.getAllByTestId('target-board-unit');
    expect(units.map((unit) => unit.getAttribute('data-unit'))).toEqual(['安乐镇', '古城办']);
    expect(within(units[0]!).getByText('绿灯')).toBeInTheDocument();
    expect(within(units[1]!).getByText('红灯')).toBeInTheDocument();
    expect(within(units[1]!).getByTestId('veto-mark')).toBeInTheDocument();
    expect(await screen.findByTestId('target-board-chart')).toHaveAttribute('aria-label', expect.stringContaining('安乐镇 75.0%，古城办 20.0%，序时进度 50.4%'));
    expect(screen.getByTestId('bulletin-previous')).toHaveTextContent('环比对比：第1期通报（截至 2013-09-30）');
  });
});
