import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { CycleStage } from '../../../api/types';

const COLOURS: Record<CycleStage, string> = {
  preparation: 'blue',
  evaluation: 'orange',
  assessment: 'purple',
  rectification: 'cyan',
  closed: 'default',
};

export function StageTag({ stage }: { stage: CycleStage }) {
  const { t } = useTranslation();
  return <Tag color={COLOURS[stage]}>{t(`stages.${stage}`)}</Tag>;
}
