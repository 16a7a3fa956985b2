import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '../../../api/problem';
import { mockApi, problem } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { ImportPanel, jsonPath } from './ImportPanel';

const upload = vi.hoisted(() => vi.fn());
vi.mock('../../../api/upload', () => ({ uploadFile: upload }));

describe('jsonPath', () => {
  it('writes a location as a path', () => {
    expect(jsonPath(['body', 'groups', 1, 'weight'])).toBe('groups[1].weight');
    expect(jsonPath(['body', 'rubric', 'items', 0, 'key'])).toBe('rubric.items[0].key');
    expect(jsonPath(['body'])).toBe('');
  });
});

// antd forms render slowly on a loaded machine: allow these more time than the default.
describe('ImportPanel', { timeout: 45_000 }, () => {
  it('names the path of each error in a JSON document', async () => {
    mockApi({
      'POST /api/v1/cycles/import': () =>
        problem(400, 'Invalid input', {
          detail: 'Nothing was imported: 2 error(s) in the document',
          errors: [
            { loc: ['body', 'groups'], msg: 'Group weights sum to 0.9; they must sum to 1' },
            { loc: ['body', 'reports', 3, 'org_code'], msg: "No organisation has the code '410326999'" },
          ],
        }),
    });
    const user = userEvent.setup();
    renderWithProviders(<ImportPanel onImported={vi.fn()} />);
    await user.click(screen.getByRole('tab', { name: 'JSON 导入' }));
    const area = screen.getByRole('textbox', { name: 'JSON 导入' });
    await user.click(area);
    await user.paste('{"name": "x"}');
    await user.click(screen.getByRole('button', { name: /导\s*入/ }));
    const errors = await screen.findByTestId('import-errors');
    expect(errors).toHaveTextContent('groups');
    expect(errors).toHaveTextContent('Group weights sum to 0.9; they must sum to 1');
    expect(errors).toHaveTextContent('reports[3].org_code');
    expect(screen.getByText('导入失败，未导入任何数据')).toBeInTheDocument();
  });

  it('says when the text is not JSON at all', async () => {
    const { fetchMock } = mockApi({});
    const user = userEvent.setup();
    renderWithProviders(<ImportPanel onImported={vi.fn()} />);
    await user.click(screen.getByRole('tab', { name: 'JSON 导入' }));
    await user.click(screen.getByRole('textbox', { name: 'JSON 导入' }));
    await user.paste('{oops');
    await user.click(screen.getByRole('button', { name: /导\s*入/ }));
    expect(await screen.findByText('不是有效的 JSON')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('uploads a workbook with progress and shows cell errors with the error sheet', async () => {
    mockApi({});
    let progress: ((percent: number) => void) | undefined;
    let fail: (error: unknown) => void = () => undefined;
    upload.mockImplementation(
      (_url: string, _file: File, options: { onProgress?: (p: number) => void }) =>
        new Promise((_resolve, reject) => {
          progress = options.onProgress;
          fail = reject;
        }),
    );
    const user = userEvent.setup();
    const { container } = renderWithProviders(<ImportPanel onImported={vi.fn()} />);
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    await user.upload(input, new File(['PK'], '周期.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
    await waitFor(() => expect(upload).toHaveBeenCalledWith('/api/v1/cycles/import/excel', expect.any(File), expect.anything()));
    progress?.(42);
    expect(await screen.findByTestId('upload-progress')).toHaveTextContent('42%');
    fail(
      new ApiError('http', {
        type: 't',
        title: 'Invalid input',
        status: 400,
        detail: 'Nothing was imported: 2 error(s) in the workbook',
        errors: [
          { loc: ['file', '评议组', 3, '权重'], msg: 'Input should be a valid decimal' },
          { loc: ['file', '评议组'], msg: 'Group weights sum to 0.9; they must sum to 1' },
        ],
        extensions: { error_sheet: '/api/v1/cycles/import/error-sheets/abcdefghijklmnopqrstuvwx' },
      }),
    );
    const errors = await screen.findByTestId('import-errors');
    expect(errors).toHaveTextContent('工作表“评议组”第 3 行“权重”列');
    expect(errors).toHaveTextContent('工作表“评议组”');
    expect(screen.getByTestId('error-sheet')).toHaveTextContent('下载标注了错误的工作簿');
    expect(screen.queryByTestId('upload-progress')).not.toBeInTheDocument();
  });
});
