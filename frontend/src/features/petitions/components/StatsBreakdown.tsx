import { Card, Skeleton, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { PetitionStats, StatsFigures } from '../../../api/types';
import { formatRate, MEASURES, measureFraction } from './StatsTotals';

const GroupedBarChart = lazy(() => import('../../../components/charts/GroupedBarChart'));

type Row = PetitionStats['rows'][number];

const COUNTS = ['accepted', 'resolved', 'assigned_or_transferred', 'in_progress', 'overdue'] as const;

/** Per township or department: a chart of the counts and the full table beneath it, its last row the totals. */
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
  const fraction = (numerator: number, denominator: number) => t('petitionDesk.measures.fraction', { numerator, denominator });
  const measureCell = (figures: StatsFigures, measure: (typeof MEASURES)[number]) => (
    <span>
      {formatRate(figures[measure.key])}
      <br />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {measureFraction(figures, measure, fraction)}
      </Typography.Text>
    </span>
  );
  const columns: TableColumnsType<Row> = [
    { title: t('petitions.stats.org'), render: (_, row) => row.org.name, fixed: 'left' },
    ...COUNTS.map((key) => ({
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
    ...MEASURES.map((measure) => ({
      key: measure.key,
      title: <Tooltip title={t(`petitionDesk.measures.help.${measure.key}`)}>{t(`petitionDesk.measures.${measure.key}`)}</Tooltip>,
      render: (_: unknown, row: Row) => measureCell(row, measure),
      sorter: (a: Row, b: Row) => Number(a[measure.key] ?? -1) - Number(b[measure.key] ?? -1),
    })),
  ];
  const total = stats.total;
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
        summary={() => (
          <Table.Summary fixed="bottom">
            <Table.Summary.Row data-testid="stats-total-row">
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>{t('petitionDesk.totalRow')}</Typography.Text>
              </Table.Summary.Cell>
              {COUNTS.map((key, i) => (
                <Table.Summary.Cell index={i + 1} key={key}>
                  <Typography.Text strong>{total[key]}</Typography.Text>
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={COUNTS.length + 1}>{formatRate(total.resolution_rate)}</Table.Summary.Cell>
              <Table.Summary.Cell index={COUNTS.length + 2}>{total.median_days_to_resolve ?? '—'}</Table.Summary.Cell>
              {MEASURES.map((measure, i) => (
                <Table.Summary.Cell index={COUNTS.length + 3 + i} key={measure.key}>
                  {measureCell(total, measure)}
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          </Table.Summary>
        )}
      />
    </>
  );
}
