import { CheckCircleFilled, ExclamationCircleFilled, MinusCircleFilled } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { Light, ProgrammeStatus, ProjectRanking, ProjectStage } from '../../../api/types';

const STATUS_COLOURS: Record<ProgrammeStatus, string> = { draft: 'default', active: 'processing', closed: 'default' };

export function ProgrammeStatusTag({ status }: { status: ProgrammeStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status]} data-status={status}>
      {t(`targets.status.${status}`)}
    </Tag>
  );
}

export const STAGE_COLOURS: Record<ProjectStage, string> = {
  negotiating: 'default',
  signed: 'blue',
  landed: 'green',
  started: 'cyan',
  producing: 'purple',
};

export function ProjectStageTag({ stage }: { stage: ProjectStage }) {
  const { t } = useTranslation();
  return (
    <Tag color={STAGE_COLOURS[stage]} data-stage={stage}>
      {t(`targets.stages.${stage}`)}
    </Tag>
  );
}

/** The 500强 mark a card and a row carry; nothing for an ordinary company. */
export function RankingTag({ ranking }: { ranking: ProjectRanking }) {
  const { t } = useTranslation();
  if (ranking === 'none') return null;
  return (
    <Tag color="gold" data-ranking={ranking}>
      {t(`targets.ranking.${ranking}`)}
    </Tag>
  );
}

const LIGHT_LOOK: Record<Light, { color: string; icon: ReactNode }> = {
  red: { color: 'error', icon: <ExclamationCircleFilled /> },
  yellow: { color: 'warning', icon: <MinusCircleFilled /> },
  green: { color: 'success', icon: <CheckCircleFilled /> },
};

/** A traffic light said in words with its icon (红灯 / 黄灯 / 绿灯), the colour only repeating it; a dash for none. */
export function LightTag({ light }: { light: Light | null | undefined }) {
  const { t } = useTranslation();
  if (!light) return <span aria-label={t('targets.completion.noTarget')}>—</span>;
  const look = LIGHT_LOOK[light];
  return (
    <Tooltip title={t(`targets.light.help.${light}`)}>
      <Tag color={look.color} icon={look.icon} data-light={light} style={{ marginInlineEnd: 0 }}>
        {t(`targets.light.${light}`)}
      </Tag>
    </Tooltip>
  );
}
