import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../api/tokens';
import type * as Download from '../lib/download';
import { json, mockApi } from '../test/api';
import { renderWithProviders } from '../test/render';
import { bulletin } from '../test/supervision';
import TargetBulletinPage from './TargetBulletinPage';

vi.mock('../components/charts/EChart', () => ({
  default: ({ label, testId }: { label: string; testId?: string }): ReactElement => <div role="img" aria-label={label} data-testid={testId ?? 'echart'} />,
}));

const saveBlob = vi.hoisted(() => vi.fn());
vi.mock('../lib/download', async (original) => ({ ...(await original<typeof Download>()), saveBlob }));

beforeEach(() => {
  tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
  saveBlob.mockReset();
});

function renderPage() {
  return renderWithProviders(
    <Routes>
      <Route path="/targets/bulletins/:bulletinId" element={<TargetBulletinPage />} />
    </Routes>,
    { route: '/targets/bulletins/11' },
  );
}

describe('a bulletin’s page', { timeout: 30_000 }, () => {
  it('shows a published bulletin to a unit with its number, summary, chart and table, downloads but no publishing', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /api/v1/targets/bulletins/11': () => json(bulletin({ status: 'published', published_at: '2013-11-02T02:00:00Z' })),
      'GET /api/v1/targets/bulletins/11/document.docx': () => new Response('PK', { headers: { 'Content-Type': 'application/octet-stream' } }),
    });
    renderPage();
    expect(await screen.findByTestId('bulletin-title')).toHaveTextContent('关于2013年10月份招商引资目标责任完成情况的通报');
    expect(screen.getByText('已于 2013-11-02 10:00:00 发布，内容已冻结。')).toBeInTheDocument();
    expect(screen.getByTestId('bulletin-summary')).toHaveTextContent('截至10月底，全区签约项目4个。');
    expect(screen.getByText('洛商务通〔2013〕2号')).toBeInTheDocument();
    expect(screen.getByTestId('bulletin-pace')).toHaveTextContent('序时进度 50.4%');
    expect(await screen.findByTestId('bulletin-chart')).toBeInTheDocument();
    const table = screen.getByTestId('bulletin-table');
    expect(within(table).getAllByTestId('bulletin-rank').map((cell) => cell.textContent)).toEqual(['1', '2']);
    expect(screen.queryByTestId('bulletin-publish')).not.toBeInTheDocument();
    expect(screen.queryByTestId('bulletin-withdraw')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('bulletin-docx'));
    await waitFor(() => expect(saveBlob).toHaveBeenCalledTimes(1));
    expect(saveBlob.mock.calls[0]![1]).toBe('洛商务通〔2013〕2号-关于2013年10月份招商引资目标责任完成情况的通报.docx');
  });

  it('offers the office to publish its draft, and shows the bulletin as published after', async () => {
    const user = userEvent.setup();
    const { requests } = mockApi({
      'GET /api/v1/targets/bulletins/11': () => json(bulletin({ may_publish: true })),
      'POST /api/v1/targets/bulletins/11/publish': () =>
        json(bulletin({ may_publish: true, status: 'published', published_at: '2013-11-02T02:00:00Z' })),
    });
    renderPage();
    expect(await screen.findByText('草稿：数字按当前项目库实时计算，发布时冻结。')).toBeInTheDocument();
    await user.click(screen.getByTestId('bulletin-publish'));
    await user.click(await screen.findByRole('button', { name: '确 定' }));
    expect(await screen.findByText('已于 2013-11-02 10:00:00 发布，内容已冻结。')).toBeInTheDocument();
    expect(screen.getByTestId('bulletin-withdraw')).toBeInTheDocument();
    expect(screen.queryByTestId('bulletin-publish')).not.toBeInTheDocument();
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });
});
