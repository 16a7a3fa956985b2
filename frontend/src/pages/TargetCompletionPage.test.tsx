import { screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../api/tokens';
import { ADMIN, json, mockApi } from '../test/api';
import { renderWithProviders } from '../test/render';
import { CHENGGUAN, completion, programme, unitCompletion, XIAODIAN } from '../test/targets';
import TargetCompletionPage from './TargetCompletionPage';

// jsdom has no canvas: stand the chart in with a plain element carrying the same accessible label.
vi.mock('../components/charts/EChart', () => ({
  default: ({ label, testId }: { label: string; testId?: string }): ReactElement => <div role="img" aria-label={label} data-testid={testId ?? 'echart'} />,
}));

const WAIT = { timeout: 10_000 };

describe('the completion page', { timeout: 45_000 }, () => {
  it('reads the programme on today kept inside its period, ranked, with the pace and the chart', async () => {
    tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
    const { requests } = mockApi({
      'GET /api/v1/auth/me': () => json(ADMIN),
      'GET /api/v1/targets/programmes': () => json([programme()]),
      'GET /api/v1/targets/programmes/3/completion': () =>
        json(
          completion({
            as_of: '2013-12-31',
            previous_as_of: '2013-11-30',
            expected_pace: '1.000000',
            units: [
              unitCompletion({ org: XIAODIAN, weighted_completion: '1.000000', rank: 1, light: 'green' }),
              unitCompletion({ org: CHENGGUAN, weighted_completion: '0.500000', rank: 2, light: 'red', no_project_landed: true, landed_projects: 0 }),
            ],
          }),
        ),
    });
    renderWithProviders(<TargetCompletionPage />, { route: '/targets/completion' });
    const table = await screen.findByTestId('completion-table', {}, WAIT);
    // The programme ended in 2013: today is brought back to its last day.
    const asked = requests.map((request) => new URL(request.url)).find((url) => url.pathname.endsWith('/completion'));
    expect(asked?.searchParams.get('as_of')).toBe('2013-12-31');
    expect(screen.getByTestId('completion-pace')).toHaveTextContent('序时进度 100.0%');
    expect(screen.getByText('对比日期 2013-11-30（上月末）')).toBeInTheDocument();
    expect(within(table).getByText('红灯')).toBeInTheDocument();
    expect(within(table).getByTestId('veto-mark')).toBeInTheDocument();
    const chart = await screen.findByTestId('completion-chart', {}, WAIT);
    await waitFor(() => expect(chart).toHaveAttribute('aria-label', expect.stringContaining('小店镇 100.0%，城关镇 50.0%，序时进度 100.0%')));
  });
});
