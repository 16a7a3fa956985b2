import { Card, Skeleton, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { PetitionStats } from '../../../api/types';
import { formatRate } from './StatsTotals';

const GroupedBarChart = lazy(() => import('../../../components/charts/GroupedBarChart'));

type Row = PetitionStats['rows'][number];

/** Per township or department: a chart of the counts and the full table beneath it. */
export function StatsBreakdown({ stats, groupLabel }: { stats: PetitionStats; groupLabel: string }) {
  const { t } = useTranslation();
  const categories = useMemo(() => stats.rows.map((row) => row.org.name), [stats.rows]);
  const series = useMemo(
    () => [
      { name: t('petitions.stats.accepted'), values: stats.rows.map((r) => r.accepted), color: '#8c8c8c' },
      { name: t('petitions.stats.resolved'), values: stats.rows.map((r) => r.resolved), color: '#389e0d' },
      {
        name: t('petitions.stats.assigned_or_transferred'),
        values: stats.rows.map((r) => r.assigned_or_transferred),
        color: '#722ed1',
      },
      { name: t('petitions.stats.overdue'), values: stats.rows.map((r) => r.overdue), color: '#cf1322' },
    ],
    [stats.rows, t],
  );
  const columns: TableColumnsType<Row> = [
    { title: t('petitions.stats.org'), render: (_, row) => row.org.name, fixed: 'left' },
    ...(['accepted', 'resolved', 'assigned_or_transferred', 'in_progress', 'overdue'] as const).map((key) => ({
      title: t(`petitions.stats.${key}`),
      dataIndex: key,
      sorter: (a: Row, b: Row) => a[key] - b[key],
    })),
    {
      title: t('petitions.stats.resolution_rate'),
      dataIndex: 'resolution_rate',
      render: (value: string | null) => formatRate(value),
      sorter: (a: Row, b: Row) => Number(a.resolution_rate ?? -1) - Number(b.resolution_rate ?? -1),
    },
    {
      title: t('petitions.stats.median_days_to_resolve'),
      dataIndex: 'median_days_to_resolve',
      render: (value: string | null) => value ?? '—',
    },
  ];
  return (
    <>
      <Card title={t('petitions.stats.chartTitle', { group: groupLabel })}>
        <Suspense fallback={<Skeleton active />}>
          <GroupedBarChart categories={categories} series={series} label={t('petitions.stats.chartTitle', { group: groupLabel })} />
        </Suspense>
      </Card>
      <Table<Row>
        rowKey={(row) => row.org.id}
        size="small"
        columns={columns}
        dataSource={stats.rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="stats-table"
      />
    </>
  );
}
