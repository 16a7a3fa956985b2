import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import { json, mockApi, problem } from '../../../test/api';
import { assessment } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { AssessmentCard, assessmentValues, toAssessmentIn } from './Assessment';

const PATH = '/api/v1/reports/44/assessment';

beforeEach(() => {
  tokenStore.set({ accessToken: 'clerk-token', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
});

const puts = (requests: Request[]) => requests.filter((r) => r.method === 'PUT');

describe('toAssessmentIn', () => {
  it('sends only the indicators with points and the vetoes switched on, reasons trimmed', () => {
    const a = assessment();
    const values = assessmentValues(a);
    expect(toAssessmentIn(values, a)).toEqual({ indicators: { petition: '8.5' }, vetoes: { safety: '2013年5月发生矿难' } });
    expect(
      toAssessmentIn(
        {
          indicators: { petition: '', ledger: '0', stray: '3' },
          vetoed: { safety: false, mass: true },
          vetoes: { safety: 'kept but off', mass: '  聚集上访  ' },
        },
        a,
      ),
    ).toEqual({ indicators: { ledger: '0' }, vetoes: { mass: '聚集上访' } });
  });

  it('leaves out the vetoes decided by a veto fact, whatever the values hold', () => {
    const a = assessment({
      vetoes: [
        ...assessment().vetoes,
        { key: 'landing', title: '项目落地一票否决', fact: 'target_no_landing', vetoed: true, reason: '无项目落地', set_at: null },
      ],
    });
    const values = assessmentValues(a);
    expect(values.vetoed).toEqual({ safety: true, mass: false });
    expect(toAssessmentIn(values, a)).toEqual({ indicators: { petition: '8.5' }, vetoes: { safety: '2013年5月发生矿难' } });
    expect(
      toAssessmentIn({ ...values, vetoed: { ...values.vetoed, landing: true }, vetoes: { ...values.vetoes, landing: '手填' } }, a).vetoes,
    ).toEqual({ safety: '2013年5月发生矿难' });
  });
});

// antd forms render slowly on a loaded machine: allow these more time than the default.
describe('AssessmentCard', { timeout: 45_000 }, () => {
  it('shows each indicator and veto as stored', async () => {
    mockApi({ [`GET ${PATH}`]: () => json(assessment()) });
    renderWithProviders(<AssessmentCard reportId={44} />);
    const card = await screen.findByTestId('assessment-card');
    expect(within(card).getByText('考核指标与一票否决')).toBeInTheDocument();

    const petition = await screen.findByTestId('indicator-petition');
    expect(within(petition).getByLabelText('信访化解率')).toHaveValue('8.50');
    expect(within(petition).getByText('满分 10')).toBeInTheDocument();
    expect(within(petition).getByText('计算方式：信访化解率')).toBeInTheDocument();
    expect(within(petition).getByText('录入于 2013-07-20 10:30:00')).toBeInTheDocument();
    expect(within(petition).queryByTestId('indicator-missing')).not.toBeInTheDocument();

    const ledger = screen.getByTestId('indicator-ledger');
    expect(within(ledger).getByLabelText('整改完成率')).toHaveValue('');
    expect(within(ledger).getByText('计算方式：组织部门录入')).toBeInTheDocument();
    expect(within(ledger).getByTestId('indicator-missing')).toHaveTextContent('未填（按 0 分计）');

    expect(screen.getByTestId('indicator-total')).toHaveTextContent('8.5');
    expect(screen.getByTestId('missing-count')).toHaveTextContent('1/ 2 项');

    const safety = screen.getByTestId('veto-safety');
    expect(within(safety).getByRole('switch', { name: '发生重大安全生产事故' })).toBeChecked();
    expect(within(safety).getByLabelText('否决理由')).toHaveValue('2013年5月发生矿难');
    expect(within(safety).getByText('录入于 2013-07-21 16:00:00')).toBeInTheDocument();
    const mass = screen.getByTestId('veto-mass');
    expect(within(mass).getByRole('switch', { name: '发生群体性事件' })).not.toBeChecked();
    expect(within(mass).queryByLabelText('否决理由')).not.toBeInTheDocument();
  });

  it('saves only the set indicators and the vetoes switched on, then shows what was stored', async () => {
    let stored = assessment();
    const { requests } = mockApi({
      [`GET ${PATH}`]: () => json(stored),
      [`PUT ${PATH}`]: () => {
        stored = assessment({
          indicators: [
            { ...assessment().indicators[0]!, points: null, missing: true, set_at: null },
            { ...assessment().indicators[1]!, points: '6.25', missing: false, set_at: '2013-07-22T01:00:00Z' },
          ],
          vetoes: [
            { ...assessment().vetoes[0]!, vetoed: false, reason: null, set_at: null },
            { ...assessment().vetoes[1]!, vetoed: true, reason: '聚集上访', set_at: '2013-07-22T01:00:00Z' },
          ],
          indicator_total: '6.25',
          missing_count: 1,
        });
        return json(stored);
      },
    });
    const user = userEvent.setup();
    renderWithProviders(<AssessmentCard reportId={44} />);
    const petition = await screen.findByLabelText('信访化解率');
    await user.clear(petition);
    await user.type(screen.getByLabelText('整改完成率'), '6.25');
    await user.click(screen.getByRole('switch', { name: '发生重大安全生产事故' }));
    await user.click(screen.getByRole('switch', { name: '发生群体性事件' }));
    await user.type(within(screen.getByTestId('veto-mass')).getByLabelText('否决理由'), ' 聚集上访 ');
    await user.click(screen.getByTestId('save-assessment'));

    expect(await screen.findByText('考核指标与一票否决事项已保存')).toBeInTheDocument();
    expect(puts(requests)).toHaveLength(1);
    expect(await puts(requests)[0]!.json()).toEqual({ indicators: { ledger: '6.25' }, vetoes: { mass: '聚集上访' } });
    // The query is refreshed and the form shows the stored values.
    await waitFor(() => expect(requests.filter((r) => r.method === 'GET')).toHaveLength(2));
    await waitFor(() => expect(screen.getByTestId('indicator-total')).toHaveTextContent('6.25'));
    expect(within(screen.getByTestId('indicator-petition')).getByTestId('indicator-missing')).toBeInTheDocument();
    expect(within(screen.getByTestId('indicator-ledger')).getByText('录入于 2013-07-22 09:00:00')).toBeInTheDocument();
  });

  it('shows a computed indicator’s points read-only and never sends it', async () => {
    const computed = assessment({
      indicators: [
        { ...assessment().indicators[0]!, computed: true, points: '7.25', set_at: null },
        { ...assessment().indicators[1]!, key: 'rate', formula: 'ledger_completion', computed: true },
        { key: 'manual', title: '述职材料质量', max_points: '5', formula: 'manual', computed: false, points: '4', missing: false, set_at: null },
        { key: 'target', title: '目标责任完成率', max_points: '10', formula: 'target_completion', computed: true, points: '10.00', missing: false, set_at: null },
      ],
    });
    const { requests } = mockApi({ [`GET ${PATH}`]: () => json(computed), [`PUT ${PATH}`]: () => json(computed) });
    const user = userEvent.setup();
    renderWithProviders(<AssessmentCard reportId={44} />);
    const petition = await screen.findByTestId('indicator-petition');
    expect(within(petition).getByTestId('computed-points')).toHaveTextContent('7.25');
    expect(within(petition).getByText('按公式自动计算')).toBeInTheDocument();
    expect(within(petition).queryByRole('spinbutton')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('indicator-rate')).getByTestId('computed-points')).toHaveTextContent('暂无数据（按 0 分计）');
    expect(screen.getByLabelText('述职材料质量')).toHaveValue('4.00');
    // The target programme's formula is named in words, not by its key.
    const target = screen.getByTestId('indicator-target');
    expect(within(target).getByText('计算方式：目标责任完成率')).toBeInTheDocument();
    expect(within(target).getByTestId('computed-points')).toHaveTextContent('10.00');

    await user.click(screen.getByTestId('save-assessment'));
    await waitFor(() => expect(puts(requests)).toHaveLength(1));
    expect(await puts(requests)[0]!.json()).toEqual({ indicators: { manual: '4' }, vetoes: { safety: '2013年5月发生矿难' } });
  });

  it('asks for a reason when a veto is switched on, and sends nothing until there is one', async () => {
    const { requests } = mockApi({ [`GET ${PATH}`]: () => json(assessment()) });
    const user = userEvent.setup();
    renderWithProviders(<AssessmentCard reportId={44} />);
    await user.click(await screen.findByRole('switch', { name: '发生群体性事件' }));
    await user.type(within(screen.getByTestId('veto-mass')).getByLabelText('否决理由'), '   ');
    await user.click(screen.getByTestId('save-assessment'));
    expect(await within(screen.getByTestId('veto-mass')).findByText('选“是”时请写明否决理由')).toBeInTheDocument();
    expect(puts(requests)).toHaveLength(0);
  });

  it('keeps points within 0 and the maximum', async () => {
    const { requests } = mockApi({
      [`GET ${PATH}`]: () =>
        json(assessment({ indicators: [{ ...assessment().indicators[0]!, points: '12', max_points: '10' }] })),
      [`PUT ${PATH}`]: () => json(assessment()),
    });
    const user = userEvent.setup();
    renderWithProviders(<AssessmentCard reportId={44} />);
    const petition = await screen.findByTestId('indicator-petition');
    // A stored value above the maximum is refused before anything is sent.
    await user.click(screen.getByTestId('save-assessment'));
    expect(await within(petition).findByText('请输入 0 到 10 之间的分数，最多两位小数')).toBeInTheDocument();
    expect(puts(requests)).toHaveLength(0);

    // Typed points are held to the range and to two decimals.
    const input = within(petition).getByLabelText('信访化解率');
    await user.clear(input);
    await user.type(input, '35');
    await user.tab();
    expect(input).toHaveValue('10.00');
    await user.clear(input);
    await user.type(input, '7.456');
    await user.tab();
    expect(input).toHaveValue('7.46');
    await user.click(screen.getByTestId('save-assessment'));
    await waitFor(() => expect(puts(requests)).toHaveLength(1));
    expect(await puts(requests)[0]!.json()).toEqual({ indicators: { petition: '7.46' }, vetoes: { safety: '2013年5月发生矿难' } });
  });

  it('puts the server’s field errors next to their fields', async () => {
    mockApi({
      [`GET ${PATH}`]: () => json(assessment()),
      [`PUT ${PATH}`]: () =>
        problem(422, 'Validation failed', {
          errors: [
            { loc: ['body', 'indicators', 'petition'], msg: 'Decimal input should have no more than 2 decimal places' },
            { loc: ['body', 'vetoes', 'safety'], msg: 'String should have at most 500 characters' },
          ],
        }),
    });
    const user = userEvent.setup();
    renderWithProviders(<AssessmentCard reportId={44} />);
    await user.click(await screen.findByTestId('save-assessment'));
    expect(
      await within(screen.getByTestId('indicator-petition')).findByText('Decimal input should have no more than 2 decimal places'),
    ).toBeInTheDocument();
    expect(within(screen.getByTestId('veto-safety')).getByText('String should have at most 500 characters')).toBeInTheDocument();
    expect(screen.queryByTestId('assessment-error')).not.toBeInTheDocument();
  });

  it('says plainly that published results refuse changes', async () => {
    mockApi({
      [`GET ${PATH}`]: () => json(assessment()),
      [`PUT ${PATH}`]: () =>
        problem(409, 'Invalid state', {
          detail: "Cannot change indicators or vetoes: the cycle's results are published and frozen; an admin must reopen them",
        }),
    });
    const user = userEvent.setup();
    renderWithProviders(<AssessmentCard reportId={44} />);
    await user.click(await screen.findByTestId('save-assessment'));
    const alert = await screen.findByTestId('assessment-error');
    expect(alert).toHaveTextContent('当前不能修改考核指标与一票否决事项');
    expect(alert).toHaveTextContent('results are published and frozen');
    expect(alert).toHaveTextContent('请求编号：req-1');
  });

  it('shows a veto decided by data read-only with its reason, and never sends it', async () => {
    const withFact = assessment({
      vetoes: [
        ...assessment().vetoes,
        {
          key: 'landing',
          title: '项目落地一票否决',
          fact: 'target_no_landing',
          vetoed: true,
          reason: '截至2013-12-31，2013年度招商引资目标中本单位无项目落地',
          set_at: null,
        },
        { key: 'other', title: '其他数据否决项', fact: 'some_new_fact', vetoed: false, reason: null, set_at: null },
      ],
    });
    const { requests } = mockApi({ [`GET ${PATH}`]: () => json(withFact), [`PUT ${PATH}`]: () => json(withFact) });
    const user = userEvent.setup();
    renderWithProviders(<AssessmentCard reportId={44} />);

    const landing = await screen.findByTestId('veto-landing');
    expect(within(landing).getByText('项目落地一票否决')).toBeInTheDocument();
    expect(within(landing).getByTestId('veto-by-data')).toHaveTextContent('由数据认定');
    expect(within(landing).getByText('认定依据：项目落地一票否决（无项目落地）')).toBeInTheDocument();
    expect(within(landing).getByTestId('veto-decision')).toHaveTextContent('否决');
    expect(within(landing).getByTestId('veto-reason')).toHaveTextContent('认定理由：截至2013-12-31，2013年度招商引资目标中本单位无项目落地');
    expect(within(landing).queryByRole('switch')).not.toBeInTheDocument();
    expect(within(landing).queryByRole('textbox')).not.toBeInTheDocument();
    // A fact the UI does not know is named by its key; not vetoed, it says so.
    const other = screen.getByTestId('veto-other');
    expect(within(other).getByText('认定依据：some_new_fact')).toBeInTheDocument();
    expect(within(other).getByTestId('veto-decision')).toHaveTextContent('未否决');
    expect(within(other).getByTestId('veto-reason')).toHaveTextContent('按本周期数据，该事项不否决本报告。');
    expect(screen.getByText(/标有“由数据认定”的事项由系统根据本周期数据认定/)).toBeInTheDocument();

    // The manual vetoes stay editable as before.
    await user.click(screen.getByRole('switch', { name: '发生群体性事件' }));
    await user.type(within(screen.getByTestId('veto-mass')).getByLabelText('否决理由'), '聚集上访');
    await user.click(screen.getByTestId('save-assessment'));
    await waitFor(() => expect(puts(requests)).toHaveLength(1));
    expect(await puts(requests)[0]!.json()).toEqual({
      indicators: { petition: '8.5' },
      vetoes: { safety: '2013年5月发生矿难', mass: '聚集上访' },
    });
    expect(await screen.findByText('考核指标与一票否决事项已保存')).toBeInTheDocument();
  });

  it('says plainly when the server refuses a veto decided by data', async () => {
    const withFact = assessment({
      vetoes: [{ key: 'landing', title: '项目落地一票否决', fact: 'target_no_landing', vetoed: false, reason: null, set_at: null }],
    });
    mockApi({
      [`GET ${PATH}`]: () => json(withFact),
      [`PUT ${PATH}`]: () =>
        problem(400, '输入有误', {
          detail: '1 处错误',
          errors: [{ loc: ['body', 'vetoes', 'landing'], msg: '项目落地一票否决由本周期数据认定（target_no_landing），不能手工设置或取消' }],
        }),
    });
    const user = userEvent.setup();
    renderWithProviders(<AssessmentCard reportId={44} />);
    await user.click(await screen.findByTestId('save-assessment'));
    const alert = await screen.findByTestId('assessment-error');
    expect(alert).toHaveTextContent('项目落地一票否决由本周期数据认定（target_no_landing），不能手工设置或取消');
    expect(alert).toHaveTextContent('请求编号：req-1');
  });

  it('shows nothing when the server refuses the caller', async () => {
    const { requests } = mockApi({
      [`GET ${PATH}`]: () =>
        problem(403, 'Forbidden', { detail: 'Only administrators, and clerks of the host organisation, manage this cycle' }),
    });
    renderWithProviders(<AssessmentCard reportId={44} />);
    await waitFor(() => expect(requests).toHaveLength(1));
    await waitFor(() => expect(screen.queryByTestId('assessment-card')).not.toBeInTheDocument());
  });
});
