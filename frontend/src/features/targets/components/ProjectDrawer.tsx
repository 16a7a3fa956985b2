import { ArrowRightOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Descriptions, Drawer, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { PROJECT_STAGES, type ProjectRead, type StageMove } from '../../../api/types';
import { formatDateTime } from '../../../lib/datetime';
import { isMoveBack, plain } from '../logic';
import { ProjectStageTag, RankingTag, STAGE_COLOURS } from './Tags';

/** A project's stage moves, oldest first: registration, each move forward and each move back with its reason. */
export function ProjectTimeline({ history }: { history: readonly StageMove[] }) {
  const { t } = useTranslation();
  return (
    <Timeline
      data-testid="project-timeline"
      items={history.map((move, index) => {
        const back = move.from_stage !== null && isMoveBack(move.from_stage, move.to_stage);
        return {
          key: index,
          color: back ? 'red' : STAGE_COLOURS[move.to_stage] === 'default' ? 'gray' : STAGE_COLOURS[move.to_stage],
          children: (
            <div data-testid="project-move">
              <Typography.Text strong>{move.on_date}</Typography.Text>{' '}
              {move.from_stage === null ? (
                t('targets.move.created')
              ) : (
                <>
                  {back && <Tag color="error">{t('targets.move.movedBackLabel')}</Tag>}
                  {t('targets.move.from', { from: t(`targets.stages.${move.from_stage}`), to: t(`targets.stages.${move.to_stage}`) })}
                </>
              )}
              {move.reason && <Typography.Paragraph style={{ margin: 0 }}>{`${t('targets.move.reason')}：${move.reason}`}</Typography.Paragraph>}
              <br />
              <Typography.Text type="secondary">{t('targets.move.recordedAt', { at: formatDateTime(move.recorded_at) })}</Typography.Text>
            </div>
          ),
        };
      })}
    />
  );
}

interface ProjectDrawerProps {
  project: ProjectRead | null;
  teamName?: string;
  editable: boolean;
  onEdit: (project: ProjectRead) => void;
  onMove: (project: ProjectRead) => void;
  onClose: () => void;
}

/** One project: its details, the day it reached each stage, and its history. */
export function ProjectDrawer({ project, teamName, editable, onEdit, onMove, onClose }: ProjectDrawerProps) {
  const { t } = useTranslation();
  return (
    <Drawer open={project !== null} onClose={onClose} width="min(560px, 100vw)" title={project?.company ?? t('targets.project.details')} destroyOnHidden>
      {project && (
        <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="project-detail">
          {editable && (
            <Space wrap>
              <Button type="primary" icon={<ArrowRightOutlined />} onClick={() => onMove(project)}>
                {t('targets.move.action')}
              </Button>
              <Button icon={<EditOutlined />} onClick={() => onEdit(project)}>
                {t('targets.project.edit')}
              </Button>
            </Space>
          )}
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('targets.project.stage')}>
              <ProjectStageTag stage={project.stage} />
            </Descriptions.Item>
            <Descriptions.Item label={t('targets.project.unit')}>{project.org.name}</Descriptions.Item>
            <Descriptions.Item label={t('targets.project.team')}>{teamName ?? t('targets.project.noTeam')}</Descriptions.Item>
            <Descriptions.Item label={t('targets.project.industry')}>{project.industry || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('targets.project.originRegion')}>{project.origin_region || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('targets.project.ranking')}>
              {project.ranking === 'none' ? t('targets.ranking.none') : <RankingTag ranking={project.ranking} />}
            </Descriptions.Item>
            <Descriptions.Item label={t('targets.project.contractAmount')}>{plain(project.contract_amount)}</Descriptions.Item>
            <Descriptions.Item label={t('targets.project.fundsInPlace')}>{plain(project.funds_in_place)}</Descriptions.Item>
            <Descriptions.Item label={t('targets.project.stageDates')}>
              <Space direction="vertical" size={0}>
                {PROJECT_STAGES.map((stage) => (
                  <span key={stage}>
                    {t(`targets.stages.${stage}`)}：{project[`${stage}_date`] ?? t('targets.project.notReached')}
                  </span>
                ))}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('targets.project.evidence')}>
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{project.evidence || '—'}</Typography.Paragraph>
            </Descriptions.Item>
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('targets.project.history')}</Typography.Title>
            <ProjectTimeline history={project.history} />
          </div>
        </Space>
      )}
    </Drawer>
  );
}
