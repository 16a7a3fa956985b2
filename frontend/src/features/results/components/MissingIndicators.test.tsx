import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import { json, mockApi, problem } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { results, resultsSummary } from '../../../test/results';
import { MissingIndicators } from './MissingIndicators';
import { PublishDialog } from './PublishDialog';

const MISSING = [{ key: 'ledger', title: '整改落实', org_names: ['城关镇', '上店镇'] }];

beforeEach(() => {
  tokenStore.set({ accessToken: 'staff-token', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
});

describe('missing indicators', () => {
  it('are listed before publishing, which asks the reason and sends it', async () => {
    const { requests } = mockApi({
      'POST /api/v1/cycles/3/results/publish': () =>
        json({ ...resultsSummary({ status: 'published', publishable: false }), missing_indicators: MISSING }),
    });
    const onPublished = vi.fn();
    renderWithProviders(
      <PublishDialog cycleId={3} results={results({ missing_indicators: MISSING })} onClose={vi.fn()} onPublished={onPublished} />,
    );
    expect(screen.getByTestId('publish-missing')).toHaveTextContent('整改落实：城关镇、上店镇');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '确认发布' }));
    expect(await screen.findByText('有指标未录入，请先录入，或填写仍要发布的理由')).toBeInTheDocument();
    expect(requests).toHaveLength(0);

    await user.type(screen.getByTestId('publish-missing-reason'), '上期整改台账尚未验收，经部务会同意先行发布');
    await user.click(screen.getByRole('button', { name: '确认发布' }));
    await waitFor(() => expect(onPublished).toHaveBeenCalled());
    expect(await requests[0]!.json()).toEqual({ missing_indicators_reason: '上期整改台账尚未验收，经部务会同意先行发布' });
  });

  it('are asked about when the server names the field', async () => {
    mockApi({
      'POST /api/v1/cycles/3/results/publish': () =>
        problem(409, 'Invalid state', {
          detail: '有述职报告缺少指标得分；请先录入，或填写理由后发布：整改落实（城关镇）',
          errors: [{ loc: ['body', 'missing_indicators_reason'], msg: '必须填写：有指标未录入' }],
        }),
    });
    renderWithProviders(<PublishDialog cycleId={3} results={results()} onClose={vi.fn()} />);
    expect(screen.queryByTestId('publish-missing-reason')).not.toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: '确认发布' }));
    expect(await screen.findByTestId('publish-missing-reason')).toBeInTheDocument();
  });

  it('are shown with the published results, with the reason given', () => {
    renderWithProviders(
      <MissingIndicators
        summary={{
          ...resultsSummary({ status: 'published' }),
          missing_indicators: MISSING,
          missing_indicators_reason: '上期整改台账尚未验收',
        }}
      />,
    );
    expect(screen.getByTestId('missing-indicators')).toHaveTextContent('本期结果发布时有指标未录入');
    expect(screen.getByTestId('missing-indicators')).toHaveTextContent('整改落实：城关镇、上店镇');
    expect(screen.getByTestId('missing-indicators-reason')).toHaveTextContent('发布理由：上期整改台账尚未验收');
  });

  it('say nothing when every indicator was entered', () => {
    renderWithProviders(<MissingIndicators summary={resultsSummary({ status: 'published' })} />);
    expect(screen.queryByTestId('missing-indicators')).not.toBeInTheDocument();
  });
});
