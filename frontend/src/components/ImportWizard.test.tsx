import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '../api/problem';
import { renderWithProviders } from '../test/render';
import { ImportWizard, type ImportOutcome } from './ImportWizard';

type Outcome = ImportOutcome & { rows: number };

function wizard(run: (file: File, dryRun: boolean) => Promise<Outcome>) {
  return renderWithProviders(
    <ImportWizard<Outcome>
      run={run}
      downloadErrors={() => Promise.resolve()}
      hint="hint"
      checked={(result) => `checked ${result.rows}`}
      done={(result) => `done ${result.rows}`}
      accept=".xlsx"
      testId="w"
    />,
  );
}

describe('ImportWizard', { timeout: 30_000 }, () => {
  it('goes from the dry run to the import and back to a new file', async () => {
    const run = vi.fn((_file: File, dryRun: boolean) => Promise.resolve({ applied: !dryRun, errors: [], rows: 3 }));
    const user = userEvent.setup();
    const { container } = wizard(run);
    await user.upload(container.querySelector('input[type="file"]') as HTMLInputElement, new File(['x'], 'a.xlsx'));
    expect(await screen.findByTestId('w-checked')).toHaveTextContent('checked 3');
    await user.click(screen.getByTestId('w-apply'));
    expect(await screen.findByTestId('w-done')).toHaveTextContent('done 3');
    expect(run.mock.calls.map(([, dryRun]) => dryRun)).toEqual([true, false]);
    await user.click(screen.getByRole('button', { name: '再导入一个文件' }));
    expect(screen.queryByTestId('w-done')).not.toBeInTheDocument();
    expect(screen.queryByText('a.xlsx')).not.toBeInTheDocument();
  });

  it('shows the upload progress a run reports, and lists errors without a sheet to download when there is none', async () => {
    let finish: (outcome: Outcome) => void = () => undefined;
    const run = vi.fn(
      (_file: File, _dryRun: boolean, onProgress: (percent: number) => void) =>
        new Promise<Outcome>((resolve) => {
          onProgress(40);
          finish = resolve;
        }),
    );
    const user = userEvent.setup();
    const { container } = renderWithProviders(
      <ImportWizard<Outcome> run={run} hint="hint" checked={() => 'checked'} done={() => 'done'} accept=".csv" testId="w" />,
    );
    await user.upload(container.querySelector('input[type="file"]') as HTMLInputElement, new File(['x'], 'a.csv'));
    expect(await screen.findByTestId('w-upload-progress')).toHaveTextContent('40%');
    finish({ applied: false, errors: [{ row: 2, column: '总体评价', message: '不是等次' }], rows: 1 });
    expect(await screen.findByTestId('w-failed')).toBeInTheDocument();
    expect(screen.getByTestId('w-errors')).toHaveTextContent('不是等次');
    expect(screen.queryByTestId('w-error-sheet')).not.toBeInTheDocument();
  });

  it('says plainly why a dry run failed and offers nothing to apply', async () => {
    const run = vi.fn(() => Promise.reject(ApiError.network(new TypeError('offline'))));
    const user = userEvent.setup();
    const { container } = wizard(run);
    await user.upload(container.querySelector('input[type="file"]') as HTMLInputElement, new File(['x'], 'a.xlsx'));
    expect(await screen.findByText('无法连接服务器')).toBeInTheDocument();
    expect(screen.queryByTestId('w-apply')).not.toBeInTheDocument();
  });
});
