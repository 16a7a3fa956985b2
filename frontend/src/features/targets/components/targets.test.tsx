import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import type { StageMove } from '../../../api/types';
import { json, mockApi } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { CHENGGUAN, completion, measure, project, unitCompletion, XIAODIAN } from '../../../test/targets';
import { CompletionTable } from './CompletionTable';
import { ProjectTimeline } from './ProjectDrawer';
import { StageMoveModal } from './StageMoveModal';
import { LightTag } from './Tags';
import { TargetGrid } from './TargetGrid';

const OK = /确\s*定/;

function moved(from: StageMove['from_stage'], to: StageMove['to_stage'], on_date: string, reason = ''): StageMove {
  return { from_stage: from, to_stage: to, on_date, reason, recorded_at: `${on_date}T02:00:00Z` };
}

const LANDED = project({
  stage: 'landed',
  landed_date: '2013-10-08',
  signed_date: '2013-10-08',
  contract_amount: '5000.00',
  evidence: '合同 2013-017',
  history: [moved(null, 'negotiating', '2013-09-02'), moved('negotiating', 'landed', '2013-10-08')],
});

// antd forms render slowly on a loaded machine: allow these more time than the default.
describe('the grid of targets', { timeout: 45_000 }, () => {
  const units = [CHENGGUAN, XIAODIAN];
  const measures = [measure(), measure({ id: 2, key: 'contract_amount', name: '合同金额', unit: '万元', basis: 'contract_amount', stage: 'signed' })];
  const targets = [{ org: XIAODIAN, measure_key: 'landed_projects', value: '2.00' }];

  it('saves the whole table: a typed cell is a target, an emptied one none', async () => {
    const { requests } = mockApi({ 'PUT /api/v1/targets/programmes/3/targets': () => json([]) });
    const user = userEvent.setup();
    renderWithProviders(<TargetGrid programmeId={3} units={units} measures={measures} targets={targets} editable />);
    const save = screen.getByTestId('grid-save');
    expect(save).toBeDisabled();
    const xiaodian = screen.getByLabelText('小店镇 · 落地项目数');
    expect(xiaodian).toHaveValue('2.00');
    await user.clear(xiaodian);
    await user.type(screen.getByLabelText('城关镇 · 落地项目数'), '1');
    await user.type(screen.getByLabelText('城关镇 · 合同金额'), '1200.5');
    expect(screen.getByText('有未保存的修改')).toBeInTheDocument();
    await user.click(save);
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(await requests[0]!.json()).toEqual({
      targets: [
        { org_id: 11, measure_key: 'contract_amount', value: '1200.5' },
        { org_id: 11, measure_key: 'landed_projects', value: '1' },
      ],
    });
  });

  it('marks what is not a number and sends nothing', async () => {
    const { requests } = mockApi({});
    const user = userEvent.setup();
    renderWithProviders(<TargetGrid programmeId={3} units={units} measures={measures} targets={targets} editable />);
    const cell = screen.getByLabelText('城关镇 · 落地项目数');
    await user.type(cell, '-1');
    expect(cell).toHaveAttribute('aria-invalid', 'true');
    await user.click(screen.getByTestId('grid-save'));
    expect(await screen.findByRole('alert')).toHaveTextContent('有 1 格不是有效的数');
    expect(requests).toHaveLength(0);
  });

  it('shows the targets without fields to one who may not change them, and totals each measure', () => {
    mockApi({});
    renderWithProviders(
      <TargetGrid programmeId={3} units={units} measures={measures} targets={[...targets, { org: CHENGGUAN, measure_key: 'landed_projects', value: '1.50' }]} editable={false} />,
    );
    expect(screen.queryByRole('textbox', { name: '小店镇 · 落地项目数' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('小店镇 · 落地项目数')).toHaveTextContent('2');
    expect(screen.queryByTestId('grid-save')).not.toBeInTheDocument();
    const total = screen.getByText('合计').closest('tr')!;
    expect(within(total).getByText('3.5')).toBeInTheDocument();
  });

  it('asks for measures first', () => {
    mockApi({});
    renderWithProviders(<TargetGrid programmeId={3} units={units} measures={[]} targets={[]} editable />);
    expect(screen.getByText('请先在“考核指标”中添加指标')).toBeInTheDocument();
  });
});

describe('the stage move dialog', { timeout: 45_000 }, () => {
  it('asks the reason for a move back, and sends it', async () => {
    const { requests } = mockApi({ 'POST /api/v1/targets/projects/1/stage': () => json(project({ stage: 'signed' })) });
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<StageMoveModal programmeId={3} project={LANDED} today="2013-10-20" onClose={onClose} />);
    // The next stage is offered first; the earlier ones as moves back.
    expect(screen.getByRole('radio', { name: '开工' })).toBeChecked();
    expect(screen.queryByTestId('move-reason')).not.toBeInTheDocument();
    await user.click(screen.getByText('退回 签约'));
    expect(screen.getByTestId('move-back-warning')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: OK }));
    expect(await screen.findByText('退回项目需要说明原因')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
    await user.type(screen.getByTestId('move-reason'), '手续未完成');
    await user.click(screen.getByRole('button', { name: OK }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(requests.map((r) => r.method)).toEqual(['POST']);
    expect(await requests[0]!.json()).toEqual({ to: 'signed', on_date: '2013-10-20', reason: '手续未完成' });
  });

  it('moves forward with the evidence and funds brought up to date first, dated no earlier than the last move', async () => {
    const { requests } = mockApi({
      'PATCH /api/v1/targets/projects/1': () => json(LANDED),
      'POST /api/v1/targets/projects/1/stage': () => json(project({ stage: 'started' })),
    });
    const onClose = vi.fn();
    const user = userEvent.setup();
    // Today is before the last move: the dialog starts on the last move's day.
    renderWithProviders(<StageMoveModal programmeId={3} project={LANDED} today="2013-10-01" onClose={onClose} />);
    expect(screen.getByLabelText('日期')).toHaveValue('2013-10-08');
    const funds = screen.getByLabelText('到位资金（万元）');
    await user.clear(funds);
    await user.type(funds, '800');
    await user.type(screen.getByLabelText('佐证材料'), '；开工照片');
    await user.click(screen.getByRole('button', { name: OK }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(requests.map((r) => r.method)).toEqual(['PATCH', 'POST']);
    expect(await requests[0]!.json()).toEqual({ evidence: '合同 2013-017；开工照片', funds_in_place: '800' });
    expect(await requests[1]!.json()).toEqual({ to: 'started', on_date: '2013-10-08', reason: '' });
  });

  it('says why the API refused a move', async () => {
    mockApi({
      'POST /api/v1/targets/projects/1/stage': () =>
        new Response(JSON.stringify({ type: 'about:blank', title: '阶段变更不合法', status: 409, code: 'illegal-stage-move', detail: '项目已结束' }), {
          status: 409,
          headers: { 'Content-Type': 'application/problem+json' },
        }),
    });
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<StageMoveModal programmeId={3} project={LANDED} today="2013-10-20" onClose={onClose} />);
    await user.click(screen.getByRole('button', { name: OK }));
    expect(await screen.findByRole('alert')).toHaveTextContent('项目已结束');
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe('lights, completion and history', () => {
  it('says each light in words, the colour only repeating it', () => {
    mockApi({});
    renderWithProviders(
      <>
        <LightTag light="red" />
        <LightTag light="yellow" />
        <LightTag light="green" />
        <LightTag light={null} />
      </>,
    );
    expect(screen.getByText('红灯').closest('[data-light]')).toHaveAttribute('data-light', 'red');
    expect(screen.getByText('黄灯')).toBeInTheDocument();
    expect(screen.getByText('绿灯')).toBeInTheDocument();
    expect(screen.getByText('—')).toBeInTheDocument();
  });

  it('ranks the units with their measures, weighted completion, light, change and the veto', () => {
    mockApi({});
    renderWithProviders(
      <CompletionTable
        completion={completion({
          units: [
            unitCompletion({ org: XIAODIAN, weighted_completion: '1.000000', rank: 1, light: 'green', change: '1.000000', measures: [{ measure_key: 'landed_projects', target: '1.00', actual: '1', completion: '1.000000', light: 'green', previous_actual: '0' }] }),
            unitCompletion({
              org: CHENGGUAN,
              rank: 2,
              weighted_completion: '0.000000',
              light: 'red',
              change: '0.000000',
              landed_projects: 0,
              no_project_landed: true,
              measures: [{ measure_key: 'landed_projects', target: '2.00', actual: '0', completion: '0.000000', light: 'red', previous_actual: '0' }],
            }),
            unitCompletion({
              org: { id: 13, code: '410326105', name: '柏树乡' },
              rank: null,
              weighted_completion: null,
              light: null,
              change: null,
              measures: [{ measure_key: 'landed_projects', target: null, actual: '1', completion: null, light: null, previous_actual: null }],
            }),
          ],
        })}
      />,
    );
    const rows = screen.getAllByRole('row').filter((row) => row.hasAttribute('data-unit'));
    expect(rows.map((row) => row.getAttribute('data-unit'))).toEqual(['小店镇', '城关镇', '柏树乡']);
    const [first, second, third] = rows as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(first).getByTestId('completion-rank')).toHaveTextContent('1');
    expect(within(first).getAllByText('100.0%')).toHaveLength(2);
    expect(within(first).getByText('绿灯')).toBeInTheDocument();
    expect(within(first).getByText(/上升 100.0 个百分点/)).toBeInTheDocument();
    expect(within(first).getByText('落地项目 1 个')).toBeInTheDocument();
    expect(within(second).getByText('红灯')).toBeInTheDocument();
    expect(within(second).getByText(/持平/)).toBeInTheDocument();
    expect(within(second).getByTestId('veto-mark')).toHaveTextContent('一票否决（无落地项目）');
    expect(within(third).getByText('未设目标')).toBeInTheDocument();
    expect(within(third).getByTestId('completion-rank')).toHaveTextContent('—');
  });

  it('tells a move back and its reason in the history', () => {
    mockApi({});
    renderWithProviders(
      <ProjectTimeline
        history={[moved(null, 'negotiating', '2013-09-02'), moved('negotiating', 'landed', '2013-10-08'), moved('landed', 'signed', '2013-10-20', '用地手续未完成')]}
      />,
    );
    const moves = screen.getAllByTestId('project-move');
    expect(moves[0]).toHaveTextContent('登记（洽谈）');
    expect(moves[1]).toHaveTextContent('由“洽谈”到“落地”');
    expect(moves[2]).toHaveTextContent('退回');
    expect(moves[2]).toHaveTextContent('退回原因：用地手续未完成');
  });
});
