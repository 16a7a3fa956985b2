import { BarChartOutlined, DeleteOutlined, EditOutlined, FundProjectionScreenOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Popconfirm, Space, Tabs, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';

import type { ProgrammeRead, ProgrammeStatus } from '../api/types';
import { ErrorResult } from '../components/ErrorResult';
import { FullPageSpinner } from '../components/FullPageSpinner';
import { measuresQuery, programmeQuery, targetsQuery, unitsQuery, useDeleteProgramme, useUpdateProgramme } from '../features/targets/api';
import { MeasuresPanel } from '../features/targets/components/MeasuresPanel';
import { ProgrammeFormModal } from '../features/targets/components/ProgrammeFormModal';
import { ProgrammeStatusTag } from '../features/targets/components/Tags';
import { TargetGrid, type Unit } from '../features/targets/components/TargetGrid';
import { TeamsPanel } from '../features/targets/components/TeamsPanel';
import { BulletinsPanel } from '../features/targets/supervision/components/BulletinsPanel';
import { ImportPanels } from '../features/targets/supervision/components/ImportPanels';
import { describeError } from '../lib/errors';
import { MonthlyTab } from './TargetMonthlyPage';
import { SupervisionTab } from './TargetSupervisionPage';
import type zhCN from '../i18n/targets.zh-CN.json';

/** What every tab of a programme's page is given. */
export interface ProgrammeTabContext {
  programme: ProgrammeRead;
  /** The caller manages the programme and it is not closed. */
  editable: boolean;
  /** The organisations below the host: the units targets, teams and projects name. */
  units: readonly Unit[];
}

export interface ProgrammeTab {
  key: string;
  /** The tab's title, a key of targets.tabs. */
  label: keyof typeof zhCN.targets.tabs;
  render: (context: ProgrammeTabContext) => ReactNode;
}

function TargetsTab({ programme, editable, units }: ProgrammeTabContext) {
  const measures = useQuery(measuresQuery(programme.id));
  const targets = useQuery(targetsQuery(programme.id));
  const failed = measures.error ?? targets.error;
  if (failed) return <ErrorResult error={failed} onRetry={() => void Promise.all([measures.refetch(), targets.refetch()])} />;
  if (!measures.data || !targets.data) return <FullPageSpinner />;
  return <TargetGrid programmeId={programme.id} units={units} measures={measures.data} targets={targets.data} editable={editable} />;
}

/**
 * The programme page's tabs, in order. Later parts of target supervision (monthly reports, supervision rounds,
 * bulletins) add their entry here with a label in targets.tabs.
 */
export const PROGRAMME_TABS: readonly ProgrammeTab[] = [
  { key: 'measures', label: 'measures', render: ({ programme, editable }) => <MeasuresPanel programmeId={programme.id} editable={editable} /> },
  { key: 'targets', label: 'targets', render: (context) => <TargetsTab {...context} /> },
  {
    key: 'teams',
    label: 'teams',
    render: ({ programme, editable, units }) => <TeamsPanel programmeId={programme.id} units={units} editable={editable} />,
  },
  { key: 'monthly', label: 'monthly', render: ({ programme }) => <MonthlyTab programme={programme} /> },
  { key: 'supervision', label: 'supervision', render: ({ programme }) => <SupervisionTab programme={programme} /> },
  { key: 'bulletins', label: 'bulletins', render: ({ programme }) => <BulletinsPanel programme={programme} /> },
  { key: 'imports', label: 'imports', render: ({ programme }) => <ImportPanels programme={programme} /> },
];

const NEXT_STATUS: Record<ProgrammeStatus, { to: ProgrammeStatus; label: 'activate' | 'close' | 'reopen'; confirm?: 'activateConfirm' | 'closeConfirm' }> = {
  draft: { to: 'active', label: 'activate', confirm: 'activateConfirm' },
  active: { to: 'closed', label: 'close', confirm: 'closeConfirm' },
  closed: { to: 'active', label: 'reopen' },
};

function StatusActions({ programme }: { programme: ProgrammeRead }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const update = useUpdateProgramme();
  const remove = useDeleteProgramme();
  const next = NEXT_STATUS[programme.status];
  const fail = (error: unknown) => {
    const { title, detail } = describeError(t, error);
    void message.error(detail ? `${title}: ${detail}` : title);
  };
  const change = () =>
    update.mutateAsync({ id: programme.id, body: { status: next.to } }).then(
      () => void message.success(t('targets.programmes.statusChanged', { status: t(`targets.status.${next.to}`) })),
      fail,
    );
  return (
    <>
      <Popconfirm
        title={t(`targets.programmes.${next.label}`)}
        description={next.confirm ? <div style={{ maxWidth: 280 }}>{t(`targets.programmes.${next.confirm}`)}</div> : undefined}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        onConfirm={change}
      >
        <Button type={programme.status === 'draft' ? 'primary' : 'default'} loading={update.isPending} data-testid="programme-status-action">
          {t(`targets.programmes.${next.label}`)}
        </Button>
      </Popconfirm>
      {programme.status === 'draft' && (
        <Popconfirm
          title={<div style={{ maxWidth: 280 }}>{t('targets.programmes.deleteConfirm', { name: programme.name })}</div>}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() =>
            remove.mutateAsync(programme.id).then(() => {
              void message.success(t('targets.programmes.deleted'));
              navigate('/targets');
            }, fail)
          }
        >
          <Button danger icon={<DeleteOutlined />}>
            {t('targets.programmes.delete')}
          </Button>
        </Popconfirm>
      )}
    </>
  );
}

/** One programme: its settings and status, and tabs for its measures, the grid of targets and the teams. */
export default function TargetProgrammePage() {
  const { t } = useTranslation();
  const { programmeId } = useParams();
  const id = Number(programmeId);
  const [params, setParams] = useSearchParams();
  const programme = useQuery({ ...programmeQuery(id), enabled: Number.isInteger(id) && id > 0 });
  const units = useQuery({ ...unitsQuery(programme.data?.host.id ?? 0), enabled: programme.data !== undefined });
  const [editing, setEditing] = useState(false);

  if (programme.isError) return <ErrorResult error={programme.error} onRetry={() => void programme.refetch()} />;
  if (programme.isPending) return <FullPageSpinner />;
  const p = programme.data;
  const editable = p.may_manage && p.status !== 'closed';
  const context: ProgrammeTabContext = { programme: p, editable, units: units.data ?? [] };
  const tab = PROGRAMME_TABS.some((entry) => entry.key === params.get('tab')) ? params.get('tab')! : PROGRAMME_TABS[0]!.key;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/targets">{t('targets.programmes.title')}</Link> }, { title: p.name }]} />
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="programme-name">
          {p.name}
        </Typography.Title>
        <ProgrammeStatusTag status={p.status} />
        {editable && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {t('targets.programmes.edit')}
          </Button>
        )}
        {p.may_manage && <StatusActions programme={p} />}
        <Link to={`/targets/pipeline?programme=${p.id}`}>
          <Button icon={<FundProjectionScreenOutlined />}>{t('targets.programmes.pipeline')}</Button>
        </Link>
        <Link to={`/targets/completion?programme=${p.id}`}>
          <Button icon={<BarChartOutlined />}>{t('targets.programmes.completion')}</Button>
        </Link>
      </Space>
      {p.status === 'closed' && <Alert type="info" showIcon message={t('targets.programmes.closedNotice')} />}
      {!p.may_manage && <Alert type="info" showIcon message={t('targets.programmes.readOnly')} />}
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
          <Descriptions.Item label={t('targets.programmes.host')}>{p.host.name}</Descriptions.Item>
          <Descriptions.Item label={t('targets.programmes.office')}>{p.office?.name ?? t('targets.programmes.noOffice')}</Descriptions.Item>
          <Descriptions.Item label={t('targets.programmes.period')}>{`${p.period_start} ~ ${p.period_end}`}</Descriptions.Item>
          <Descriptions.Item label={t('targets.programmes.status')}>{t(`targets.status.${p.status}`)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          items={PROGRAMME_TABS.map((entry) => ({ key: entry.key, label: t(`targets.tabs.${entry.label}`), children: entry.render(context) }))}
        />
      </Card>
      {editing && <ProgrammeFormModal programme={p} hostSelect={<span />} onClose={() => setEditing(false)} />}
    </Space>
  );
}
