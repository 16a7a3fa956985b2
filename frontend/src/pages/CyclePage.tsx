import { EditOutlined, NotificationOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Breadcrumb, Button, Card, Descriptions, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';

import { ErrorResult } from '../components/ErrorResult';
import { FullPageSpinner } from '../components/FullPageSpinner';
import { StageTag } from '../components/StageTag';
import { hasRole, useMe } from '../features/auth/api';
import { cycleKeys, cycleDetailQuery } from '../features/cycles/api';
import { AddReport } from '../features/cycles/components/AddReport';
import { CycleFormModal } from '../features/cycles/components/CycleFormModal';
import { GroupsEditor } from '../features/cycles/components/GroupsEditor';
import { MembersPanel } from '../features/cycles/components/MembersPanel';
import { StageSteps } from '../features/cycles/components/StageSteps';
import { OrgSelect } from '../features/orgs/components/OrgSelect';
import { reportKeys } from '../features/reports/api';
import { ReportReviewTable } from '../features/reports/components/ReportReviewTable';
import { RubricSelect } from '../features/rubrics/components/RubricSelect';

export default function CyclePage() {
  const { t } = useTranslation();
  const { cycleId } = useParams();
  const id = Number(cycleId);
  const me = useMe();
  const queryClient = useQueryClient();
  const cycle = useQuery({ ...cycleDetailQuery(id), enabled: Number.isInteger(id) && id > 0 });
  const [editing, setEditing] = useState(false);

  if (cycle.isError) return <ErrorResult error={cycle.error} onRetry={() => void cycle.refetch()} />;
  if (cycle.isPending) return <FullPageSpinner />;
  const c = cycle.data;
  const preparing = c.stage === 'preparation';
  const refresh = () => void queryClient.invalidateQueries({ queryKey: cycleKeys.detail(id) });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/cycles">{t('cycles.title')}</Link> }, { title: c.name }]} />
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="cycle-name">
          {c.name}
        </Typography.Title>
        <StageTag stage={c.stage} />
        {c.can_manage && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {t('cycles.edit')}
          </Button>
        )}
        {c.can_manage && (
          <Link to={`/cycles/${c.id}/meetings`}>
            <Button icon={<NotificationOutlined />} data-testid="cycle-meetings">
              {t('meetings.title')}
            </Button>
          </Link>
        )}
      </Space>
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
          <Descriptions.Item label={t('cycles.host')}>{c.host_org.name}</Descriptions.Item>
          <Descriptions.Item label={t('cycles.period')}>{`${c.period_start} ~ ${c.period_end}`}</Descriptions.Item>
          <Descriptions.Item label={t('cycles.dueDate')}>{c.report_due_date ?? t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={t('cycles.rubric')}>
            {c.rubric ? (
              <Link to={`/rubrics/${c.rubric.id}`}>
                {t('rubrics.option', { name: c.rubric.name, version: c.rubric.version, total: c.rubric.max_total })}
              </Link>
            ) : (
              t('common.none')
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('cycles.gradingMethod')}>
            {t(`cycles.methods.${c.grading.method}`)}
            {' · '}
            {Object.entries(c.grading.thresholds ?? c.grading.quotas ?? {})
              .map(([tier, share]) => `${t(`tiers.${tier as 'good' | 'fairly_good' | 'average'}`)} ${share}`)
              .join(' / ')}
          </Descriptions.Item>
          <Descriptions.Item label={t('cycles.opinionCategories')}>
            <Space size={[0, 4]} wrap>
              {c.opinion_categories.map((name) => (
                <Tag key={name}>{name}</Tag>
              ))}
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card>
        <StageSteps cycle={c} canRevert={hasRole(me.data, ['admin'])} />
      </Card>
      <Card>
        <Tabs
          items={[
            {
              key: 'reports',
              label: t('cycles.reportsTab', { count: c.report_counts.total }),
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {c.can_manage && preparing && (
                    <AddReport
                      cycleId={c.id}
                      orgSelect={<OrgSelect kinds={['township', 'working_committee', 'village', 'department']} style={{ flex: 1, minWidth: 0 }} />}
                      onAdded={() => void queryClient.invalidateQueries({ queryKey: reportKeys.lists() })}
                    />
                  )}
                  <ReportReviewTable cycleId={c.id} canReview={c.can_manage && preparing} onChanged={refresh} />
                </Space>
              ),
            },
            {
              key: 'groups',
              label: t('cycles.groupsTab'),
              children: <GroupsEditor key={c.updated_at} cycleId={c.id} groups={c.groups} editable={c.can_manage && preparing} />,
            },
            ...(c.can_manage
              ? [
                  {
                    key: 'members',
                    label: t('cycles.membersTab'),
                    children: (
                      <MembersPanel
                        cycleId={c.id}
                        groups={c.groups}
                        editable={c.stage === 'preparation' || c.stage === 'evaluation'}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {editing && (
        <CycleFormModal
          cycle={c}
          hostSelect={<OrgSelect />}
          rubricSelect={<RubricSelect />}
          onClose={() => setEditing(false)}
        />
      )}
    </Space>
  );
}
