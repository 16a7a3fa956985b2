import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { json, mockApi, problem } from '../../../test/api';
import { rubric } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { RubricEditor, toRubricIn } from './RubricEditor';

const FORMULAS = [{ name: 'manual', description: 'by hand', available: false }];
const VETO_FACTS = [
  {
    name: 'target_no_landing',
    description: 'No project of the unit reached 落地 (landing) or later in the target programme that feeds the cycle',
    available: true,
  },
  { name: 'unit_dissolved', description: 'The unit was dissolved during the period', available: false },
];

const withVetoes = (overrides = {}) =>
  rubric({
    vetoes: [
      { key: 'safety', title: '发生重大安全生产事故', fact: null },
      { key: 'landing', title: '项目落地一票否决', fact: 'target_no_landing' },
    ],
    ...overrides,
  });

/** A veto's row in the editor: its key, title and 认定依据. */
const vetoRow = (index: number) => screen.getAllByLabelText('否决项的键')[index]!.closest<HTMLElement>('.ant-space')!;
const selected = (row: HTMLElement) => row.querySelector('.ant-select-selection-item')?.textContent;

describe('toRubricIn: vetoes', () => {
  it('sends a veto’s fact, and null for one set by hand', () => {
    const body = toRubricIn({
      name: ' 测评表 ',
      tier_fractions: { good: '1', fairly_good: '0.85', average: '0.7', poor: '0.5' },
      items: [],
      vetoes: [
        { key: ' safety ', title: '发生重大安全生产事故', fact: '' },
        { key: 'landing', title: '项目落地一票否决', fact: 'target_no_landing' },
        { key: 'old', title: '旧事项' },
      ],
    });
    expect(body.vetoes).toEqual([
      { key: 'safety', title: '发生重大安全生产事故', fact: null },
      { key: 'landing', title: '项目落地一票否决', fact: 'target_no_landing' },
      { key: 'old', title: '旧事项', fact: null },
    ]);
  });
});

// antd forms render slowly on a loaded machine: allow these more time than the default.
describe('RubricEditor: 认定依据 of a veto', { timeout: 45_000 }, () => {
  it('shows each veto’s basis by name, offers the registered facts in Chinese and saves the choice', async () => {
    const { requests } = mockApi({
      'GET /api/v1/rubrics/formulas': () => json(FORMULAS),
      'GET /api/v1/rubrics/veto-facts': () => json(VETO_FACTS),
      'PUT /api/v1/rubrics/7': () => json(withVetoes({ id: 8, version: 2, previous_id: 7 })),
    });
    const user = userEvent.setup();
    renderWithProviders(<RubricEditor rubric={withVetoes({ frozen: true })} />);

    expect(screen.getByText(/选定认定依据的事项由系统根据本周期数据认定/)).toBeInTheDocument();
    const safety = vetoRow(0);
    const landing = vetoRow(1);
    expect(selected(safety)).toBe('人工认定');
    await waitFor(() => expect(selected(landing)).toBe('项目落地一票否决（无项目落地）'));

    // The choices: by hand, the known fact by its Chinese name, an unknown one by the server's description.
    await user.click(within(safety).getByRole('combobox', { name: '认定依据' }));
    const listbox = await screen.findByRole('listbox');
    expect(listbox).toBeInTheDocument();
    expect(await screen.findByTitle('The unit was dissolved during the period（尚未接入数据，暂不否决任何单位）')).toBeInTheDocument();
    await user.click(screen.getAllByTitle('项目落地一票否决（无项目落地）').find((el) => el.closest('.ant-select-item-option'))!);
    expect(selected(safety)).toBe('项目落地一票否决（无项目落地）');

    // Set the landing veto back to the organisation department's hand.
    await user.click(within(landing).getByRole('combobox', { name: '认定依据' }));
    const manual = await waitFor(() => {
      const options = screen.getAllByTitle('人工认定').filter((el) => el.closest('.ant-select-item-option'));
      expect(options.length).toBeGreaterThan(0);
      return options;
    });
    await user.click(manual[manual.length - 1]!);
    await waitFor(() => expect(selected(landing)).toBe('人工认定'));

    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(requests.some((r) => r.method === 'PUT')).toBe(true));
    const body = await requests.find((r) => r.method === 'PUT')!.json();
    expect(body.vetoes).toEqual([
      { key: 'safety', title: '发生重大安全生产事故', fact: 'target_no_landing' },
      { key: 'landing', title: '项目落地一票否决', fact: null },
    ]);
  });

  it('adds a veto set by hand, keeps a stored fact the server no longer lists, and puts a refusal on its field', async () => {
    const { requests } = mockApi({
      'GET /api/v1/rubrics/formulas': () => json(FORMULAS),
      'GET /api/v1/rubrics/veto-facts': () => json(VETO_FACTS),
      'PUT /api/v1/rubrics/7': () =>
        problem(400, '输入有误', {
          detail: '1 处错误',
          errors: [{ loc: ['body', 'vetoes', 0, 'fact'], msg: '未知的一票否决认定依据“old_fact”' }],
        }),
    });
    const user = userEvent.setup();
    renderWithProviders(<RubricEditor rubric={rubric({ vetoes: [{ key: 'old', title: '旧事项', fact: 'old_fact' }] })} />);
    await waitFor(() => expect(selected(vetoRow(0))).toBe('old_fact'));

    await user.click(screen.getByRole('button', { name: /添加否决项/ }));
    const row = await waitFor(() => vetoRow(1));
    expect(selected(row)).toBe('人工认定');
    await user.type(within(row).getByLabelText('否决项的键'), 'mass');
    await user.type(within(row).getByLabelText('否决项名称'), '发生群体性事件');

    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(await within(vetoRow(0)).findByText('未知的一票否决认定依据“old_fact”')).toBeInTheDocument();
    const body = await requests.find((r) => r.method === 'PUT')!.json();
    expect(body.vetoes).toEqual([
      { key: 'old', title: '旧事项', fact: 'old_fact' },
      { key: 'mass', title: '发生群体性事件', fact: null },
    ]);
  });
});
