import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { json, mockApi, problem } from '../../../test/api';
import { rubric } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { RubricEditor } from './RubricEditor';

const FORMULAS = [
  { name: 'manual', description: 'by hand', available: false },
  { name: 'petition_resolution_rate', description: '信访化解率', available: false },
];

async function expectTotal(value: string) {
  await waitFor(() => expect(screen.getByTestId('rubric-max-total')).toHaveTextContent(`满分合计${value}`));
}

// antd forms render slowly on a loaded machine: allow these more time than the default.
describe('RubricEditor', { timeout: 45_000 }, () => {
  it('keeps a running total of the maximum as items change', async () => {
    mockApi({ 'GET /api/v1/rubrics/formulas': () => json(FORMULAS) });
    const user = userEvent.setup();
    renderWithProviders(<RubricEditor rubric={rubric()} />);
    await expectTotal('100');

    const points = screen.getAllByLabelText('满分');
    fireEvent.change(points[0]!, { target: { value: '20.5' } });
    await expectTotal('90.5');

    await user.click(screen.getByRole('button', { name: /添加测评项/ }));
    await expectTotal('100.5');
  });

  it('creates a rubric with exact decimals and puts server errors on their fields', async () => {
    const { requests } = mockApi({
      'GET /api/v1/rubrics/formulas': () => json(FORMULAS),
      'POST /api/v1/rubrics': () =>
        problem(400, 'Invalid input', {
          detail: '1 error(s)',
          errors: [{ loc: ['body', 'items', 0, 'title'], msg: '名称与某项冲突' }],
        }),
    });
    const user = userEvent.setup();
    renderWithProviders(<RubricEditor rubric={null} />);
    await user.type(await screen.findByLabelText('名称', { selector: '#rubric-form_name' }), '新测评表');
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(await screen.findByText('名称与某项冲突')).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST');
    expect(await post?.json()).toEqual({
      name: '新测评表',
      tier_fractions: { good: '1', fairly_good: '0.85', average: '0.7', poor: '0.5' },
      items: [{ key: 'overall', title: '总体评价', category: '总体评价', source: 'ballot', kind: 'tier', max_points: '100', description: '' }],
      vetoes: [],
    });
  });

  it('refuses duplicate keys before sending', async () => {
    const { requests } = mockApi({ 'GET /api/v1/rubrics/formulas': () => json(FORMULAS) });
    const user = userEvent.setup();
    renderWithProviders(<RubricEditor rubric={rubric()} />);
    const keys = await screen.findAllByLabelText('键');
    fireEvent.change(keys[1]!, { target: { value: 'duty' } });
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(await screen.findAllByText('键重复')).toHaveLength(2);
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('says a frozen rubric is saved as a new version and reports it', async () => {
    mockApi({
      'GET /api/v1/rubrics/formulas': () => json(FORMULAS),
      'PUT /api/v1/rubrics/7': () => json(rubric({ id: 8, version: 2, previous_id: 7 })),
    });
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<RubricEditor rubric={rubric({ frozen: true })} onSaved={onSaved} />);
    expect(screen.getByText(/保存后将生成第 2 版/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ id: 8, version: 2 })));
  });
});
