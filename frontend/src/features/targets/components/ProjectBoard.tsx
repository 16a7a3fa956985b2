import { ArrowRightOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Space, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';

import { PROJECT_STAGES, type ProjectRead } from '../../../api/types';
import { compareDecimals } from '../../../lib/decimal';
import { byStage, plain } from '../logic';
import { ProjectStageTag, RankingTag } from './Tags';

export interface ProjectListProps {
  projects: readonly ProjectRead[];
  /** Team names by id, for the cards. */
  teamNames: ReadonlyMap<number, string>;
  /** Whether stage moves are offered (the programme is open; the API already limits the list to what the person may edit). */
  editable: boolean;
  onOpen: (project: ProjectRead) => void;
  onMove: (project: ProjectRead) => void;
}

function ProjectCard({ project, teamNames, editable, onOpen, onMove }: Omit<ProjectListProps, 'projects'> & { project: ProjectRead }) {
  const { t } = useTranslation();
  const team = project.team_id !== null ? teamNames.get(project.team_id) : undefined;
  return (
    <Card size="small" data-testid="project-card" data-project={project.id}>
      <Space direction="vertical" size={2} style={{ width: '100%' }}>
        <Button type="link" onClick={() => onOpen(project)} style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}>
          <Typography.Text strong>{project.company}</Typography.Text>
        </Button>
        <Space size={[0, 4]} wrap>
          <RankingTag ranking={project.ranking} />
          {project.industry && <Tag>{project.industry}</Tag>}
          {project.origin_region && <Tag color="geekblue">{project.origin_region}</Tag>}
        </Space>
        {compareDecimals(project.contract_amount, '0') > 0 && (
          <Typography.Text>{t('targets.project.amount', { amount: plain(project.contract_amount) })}</Typography.Text>
        )}
        {compareDecimals(project.funds_in_place, '0') > 0 && (
          <Typography.Text type="secondary">{t('targets.project.funds', { amount: plain(project.funds_in_place) })}</Typography.Text>
        )}
        <Typography.Text type="secondary">{team ? `${project.org.name} · ${team}` : project.org.name}</Typography.Text>
        {editable && (
          <Button size="small" icon={<ArrowRightOutlined />} onClick={() => onMove(project)} aria-label={`${t('targets.move.action')} ${project.company}`}>
            {t('targets.move.action')}
          </Button>
        )}
      </Space>
    </Card>
  );
}

/** The pipeline as a board: one column per stage, 洽谈 to 投产, a card per project. */
export function ProjectBoard({ projects, ...rest }: ProjectListProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const columns = byStage(projects);
  return (
    // Columns side by side on a wide screen, one under the other on a phone: the page never scrolls sideways.
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(190px, 1fr))', gap: 12 }} data-testid="project-board">
      {PROJECT_STAGES.map((stage) => (
        <section
          key={stage}
          aria-label={t(`targets.stages.${stage}`)}
          data-testid={`board-${stage}`}
          style={{ background: token.colorFillQuaternary, borderRadius: token.borderRadiusLG, padding: 8, minWidth: 0 }}
        >
          <Space style={{ marginBottom: 8 }}>
            <ProjectStageTag stage={stage} />
            <Badge count={columns[stage].length} showZero color={token.colorTextTertiary} />
          </Space>
          <Space direction="vertical" size={8} style={{ width: '100%' }}>
            {columns[stage].length === 0 ? (
              <Typography.Text type="secondary">{t('targets.pipeline.columnEmpty')}</Typography.Text>
            ) : (
              columns[stage].map((project) => <ProjectCard key={project.id} project={project} {...rest} />)
            )}
          </Space>
        </section>
      ))}
    </div>
  );
}
