import { Card, Col, Row, Skeleton, Statistic, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { LedgerFigures, LedgerStats } from '../../../api/types';

const GroupedBarChart = lazy(() => import('../../../components/charts/GroupedBarChart'));
const BarChart = lazy(() => import('../../../components/charts/BarChart'));

type OrgRow = LedgerStats['by_org'][number];
type CategoryRow = LedgerStats['by_category'][number];
const COUNTS = ['total', 'open', 'in_progress', 'done', 'verified', 'rejected', 'overdue', 'due_soon'] as const;
const COLORS = { open: '#8c8c8c', in_progress: '#1677ff', done: '#faad14', verified: '#389e0d', overdue: '#cf1322' };

/** A completion rate as a percentage with one decimal ("—" when nothing is to be done). */
export function formatRate(rate: string | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${(Number(rate) * 100).toFixed(1)}%`;
}

/** The headline figures over every item in scope. */
export function FiguresCards({ total }: { total: LedgerFigures }) {
  const { t } = useTranslation();
  return (
    <Row gutter={[16, 16]} data-testid="ledger-totals">
      {(['total', 'open', 'in_progress', 'done', 'verified', 'overdue'] as const).map((key) => (
        <Col key={key} xs={12} md={8} xl={4}>
          <Card size="small" data-testid={`ledger-stat-${key}`}>
            <Statistic title={t(`ledger.stats.${key}`)} value={total[key]} valueStyle={key === 'overdue' && total[key] ? { color: '#cf1322' } : undefined} />
          </Card>
        </Col>
      ))}
      <Col xs={12} md={8} xl={4}>
        <Card size="small" data-testid="ledger-stat-completion_rate">
          <Statistic title={t('ledger.stats.completion_rate')} value={formatRate(total.completion_rate)} />
        </Card>
      </Col>
    </Row>
  );
}

function countColumns<T extends OrgRow | CategoryRow>(t: (key: string) => string): TableColumnsType<T> {
  return [
    ...COUNTS.map((key) => ({ title: t(`ledger.stats.${key}`), dataIndex: key, sorter: (a: T, b: T) => a[key] - b[key] })),
    {
      title: t('ledger.stats.completion_rate'),
      dataIndex: 'completion_rate',
      render: (value: string | null) => formatRate(value),
      sorter: (a: T, b: T) => Number(a.completion_rate ?? -1) - Number(b.completion_rate ?? -1),
    },
  ];
}

/** Per township and per category: charts of the counts and the completion rate, and the tables. */
export function StatsView({ stats }: { stats: LedgerStats }) {
  const { t } = useTranslation();
  const tr = t as unknown as (key: string) => string;
  const orgNames = useMemo(() => stats.by_org.map((row) => row.org.name), [stats.by_org]);
  const categoryNames = useMemo(() => stats.by_category.map((row) => row.category ?? t('ledger.uncategorised')), [stats.by_category, t]);
  const series = (rows: (OrgRow | CategoryRow)[]) =>
    (['open', 'in_progress', 'done', 'verified', 'overdue'] as const).map((key) => ({
      name: t(`ledger.stats.${key}`),
      values: rows.map((r) => r[key]),
      color: COLORS[key],
    }));
  const orgSeries = useMemo(() => series(stats.by_org), [stats.by_org, t]); // eslint-disable-line react-hooks/exhaustive-deps
  const categorySeries = useMemo(() => series(stats.by_category), [stats.by_category, t]); // eslint-disable-line react-hooks/exhaustive-deps
  const rates = useMemo(() => stats.by_org.map((r) => Math.round(Number(r.completion_rate ?? 0) * 1000) / 10), [stats.by_org]);

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} xl={14}>
        <Card title={t('ledger.stats.byTownship')}>
          <Suspense fallback={<Skeleton active />}>
            <GroupedBarChart categories={orgNames} series={orgSeries} label={t('ledger.stats.byTownship')} />
          </Suspense>
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card title={t('ledger.stats.byCategory')}>
          <Suspense fallback={<Skeleton active />}>
            <GroupedBarChart categories={categoryNames} series={categorySeries} label={t('ledger.stats.byCategory')} />
          </Suspense>
        </Card>
      </Col>
      <Col span={24}>
        <Card title={t('ledger.stats.rateChart')}>
          <Suspense fallback={<Skeleton active />}>
            <BarChart categories={orgNames} values={rates} seriesName={t('ledger.stats.rateChart')} color="#389e0d" />
          </Suspense>
        </Card>
      </Col>
      <Col span={24}>
        <Table<OrgRow>
          rowKey={(row) => row.org.id}
          size="small"
          columns={[{ title: t('ledger.org'), render: (_, row) => row.org.name, fixed: 'left' }, ...countColumns<OrgRow>(tr)]}
          dataSource={stats.by_org}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="ledger-stats-orgs"
        />
      </Col>
      <Col span={24}>
        <Table<CategoryRow>
          rowKey={(row) => row.category ?? ''}
          size="small"
          columns={[
            { title: t('ledger.category'), render: (_, row) => row.category ?? t('ledger.uncategorised'), fixed: 'left' },
            ...countColumns<CategoryRow>(tr),
          ]}
          dataSource={stats.by_category}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="ledger-stats-categories"
        />
      </Col>
    </Row>
  );
}
