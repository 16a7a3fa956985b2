import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { CycleStage } from '../api/types';

/** One colour per stage, the same on every page that shows a cycle's stage. */
export const STAGE_COLOURS: Record<CycleStage, string> = {
  preparation: 'blue',
  evaluation: 'orange',
  assessment: 'purple',
  rectification: 'cyan',
  closed: 'default',
};

export function StageTag({ stage }: { stage: CycleStage }) {
  const { t } = useTranslation();
  return (
    <Tag color={STAGE_COLOURS[stage]} data-stage={stage}>
      {t(`stages.${stage}`)}
    </Tag>
  );
}
