import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { tokenStore } from '../api/tokens';
import type { UserRead } from '../api/types';
import { ADMIN, json, mockApi } from '../test/api';
import { assessment, cycle, report } from '../test/fixtures';
import { renderRoutes } from '../test/render';
import ReportPage from './ReportPage';

const CLERK: UserRead = { ...ADMIN, id: 2, username: 'clerk', full_name: '组织部干事', role: 'clerk' };
const SECRETARY: UserRead = { ...ADMIN, id: 3, username: 'xd', full_name: '小店镇书记', role: 'secretary', org_id: 5 };

function openReport(user: UserRead, canManage: boolean) {
  tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
  const { requests } = mockApi({
    'GET /api/v1/auth/me': () => json(user),
    'GET /api/v1/reports/44': () => json(report({ status: 'submitted', can_edit: false })),
    'GET /api/v1/cycles/1': () => json(cycle({ stage: 'assessment', can_manage: canManage })),
    'GET /api/v1/reports/44/assessment': () => json(assessment()),
  });
  renderRoutes([{ path: '/reports/:reportId', element: <ReportPage /> }], '/reports/44');
  return () => requests.map((r) => `${r.method} ${new URL(r.url).pathname}`);
}

describe('ReportPage: indicators and vetoes', { timeout: 45_000 }, () => {
  it('shows the card to a clerk of the host organisation', async () => {
    openReport(CLERK, true);
    expect(await screen.findByTestId('assessment-card', {}, { timeout: 10_000 })).toHaveTextContent('考核指标与一票否决');
    expect(await screen.findByLabelText('信访化解率')).toBeInTheDocument();
  });

  it('hides it from a clerk who does not manage the cycle, without asking for it', async () => {
    const seen = openReport(CLERK, false);
    expect(await screen.findByTestId('report-title', {}, { timeout: 10_000 })).toBeInTheDocument();
    await waitFor(() => expect(seen()).toContain('GET /api/v1/cycles/1'));
    await expect(screen.findByTestId('assessment-card', {}, { timeout: 500 })).rejects.toThrow();
    expect(seen()).not.toContain('GET /api/v1/reports/44/assessment');
  });

  it('hides it from a secretary, who does not even load the cycle', async () => {
    const seen = openReport(SECRETARY, false);
    expect(await screen.findByRole('link', { name: '我的述职报告' }, { timeout: 10_000 })).toBeInTheDocument();
    await expect(screen.findByTestId('assessment-card', {}, { timeout: 500 })).rejects.toThrow();
    expect(seen()).not.toContain('GET /api/v1/cycles/1');
    expect(seen()).not.toContain('GET /api/v1/reports/44/assessment');
  });
});
