import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { CycleStage } from '../api/types';
import { renderWithProviders } from '../test/render';
import { STAGE_COLOURS, StageTag } from './StageTag';

describe('StageTag', () => {
  it('names each stage through i18n in its own colour', () => {
    const labels: Record<CycleStage, string> = {
      preparation: '述前准备',
      evaluation: '述职评议',
      assessment: '综合评价',
      rectification: '述后整改',
      closed: '已结束',
    };
    renderWithProviders(
      <>
        {(Object.keys(labels) as CycleStage[]).map((stage) => (
          <StageTag key={stage} stage={stage} />
        ))}
      </>,
    );
    for (const [stage, label] of Object.entries(labels) as [CycleStage, string][]) {
      const tag = screen.getByText(label);
      expect(tag).toHaveAttribute('data-stage', stage);
      if (STAGE_COLOURS[stage] !== 'default') expect(tag).toHaveClass(`ant-tag-${STAGE_COLOURS[stage]}`);
    }
    expect(new Set(Object.values(STAGE_COLOURS)).size).toBe(Object.keys(STAGE_COLOURS).length);
  });
});
