import { Button, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';

import type { ProjectRead } from '../../../api/types';
import { compareDecimals } from '../../../lib/decimal';
import { plain, stageIndex } from '../logic';
import type { ProjectListProps } from './ProjectBoard';
import { ProjectStageTag, RankingTag } from './Tags';

/** The pipeline as a list, sortable by stage, amount and the day talks began. */
export function ProjectTable({ projects, teamNames, editable, onOpen, onMove }: ProjectListProps) {
  const { t } = useTranslation();
  return (
    <Table<ProjectRead>
      rowKey="id"
      size="small"
      dataSource={[...projects]}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('targets.pipeline.empty') }}
      data-testid="project-table"
      columns={[
        {
          key: 'company',
          title: t('targets.project.company'),
          render: (_, project) => (
            <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(project)}>
              {project.company}
            </Button>
          ),
        },
        { key: 'ranking', title: t('targets.project.ranking'), render: (_, project) => <RankingTag ranking={project.ranking} /> },
        { key: 'unit', title: t('targets.project.unit'), render: (_, project) => project.org.name },
        {
          key: 'team',
          title: t('targets.project.team'),
          render: (_, project) => (project.team_id !== null ? (teamNames.get(project.team_id) ?? '—') : '—'),
        },
        { key: 'industry', title: t('targets.project.industry'), render: (_, project) => project.industry || '—' },
        { key: 'origin', title: t('targets.project.originRegion'), render: (_, project) => project.origin_region || '—' },
        {
          key: 'amount',
          title: t('targets.project.contractAmount'),
          align: 'right',
          sorter: (a, b) => compareDecimals(a.contract_amount, b.contract_amount),
          render: (_, project) => plain(project.contract_amount),
        },
        {
          key: 'funds',
          title: t('targets.project.fundsInPlace'),
          align: 'right',
          sorter: (a, b) => compareDecimals(a.funds_in_place, b.funds_in_place),
          render: (_, project) => plain(project.funds_in_place),
        },
        {
          key: 'stage',
          title: t('targets.project.stage'),
          sorter: (a, b) => stageIndex(a.stage) - stageIndex(b.stage),
          render: (_, project) => <ProjectStageTag stage={project.stage} />,
        },
        {
          key: 'negotiating',
          title: t('targets.project.negotiatingDate'),
          sorter: (a, b) => a.negotiating_date.localeCompare(b.negotiating_date),
          dataIndex: 'negotiating_date',
        },
        ...(editable
          ? [
              {
                key: 'actions',
                title: t('common.actions'),
                render: (_: unknown, project: ProjectRead) => (
                  <Space size={4}>
                    <Button size="small" onClick={() => onMove(project)} aria-label={`${t('targets.move.action')} ${project.company}`}>
                      {t('targets.move.action')}
                    </Button>
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
