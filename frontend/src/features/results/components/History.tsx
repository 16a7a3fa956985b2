import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, List, Modal, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { HistoryEntry, OrgHistory } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { flaggedTwiceQuery, orgHistoryQuery, resultsQuery } from '../api';
import { tierColor, toNumber } from '../model';
import { TierTag } from './TierTag';

const EChart = lazy(() => import('../../../components/charts/EChart'));

const FLAGGED_COLOR = '#cf1322';

/**
 * The total's axis: from 0 to the highest rubric maximum among the cycles (a 100-point scale ends at 100, not at
 * a rounded 140); fitted to the totals while no maximum is known.
 */
export function totalAxis(maxTotals: readonly (string | null | undefined)[]): { min: number; max: number } | { scale: true } {
  const known = maxTotals.map((value) => (value ? Number(value) : NaN)).filter((value) => Number.isFinite(value) && value > 0);
  return known.length > 0 ? { min: 0, max: Math.max(...known) } : { scale: true };
}

/** The rubric maximum of each cycle in the history, from its published results (cached with the ranking), as "100|95". */
function useMaxTotals(entries: readonly HistoryEntry[]): string {
  return useQueries({
    queries: entries.map((entry) => resultsQuery(entry.cycle_id)),
    // A string, so the chart's options change only when a maximum does.
    combine: (results) => results.map((query) => query.data?.max_total ?? '').join('|'),
  });
}

/** Rank and total across cycles: total on the left axis, rank on the right (1 at the top); flagged cycles in red. */
export function HistoryChart({ history }: { history: OrgHistory }) {
  const { t } = useTranslation();
  const entries = history.entries;
  const maxTotals = useMaxTotals(entries);
  const axis = useMemo(() => totalAxis(maxTotals.split('|')), [maxTotals]);
  const option = useMemo(() => {
    const maxRank = Math.max(1, ...entries.map((entry) => entry.reports));
    const point = (entry: HistoryEntry, value: number | null) => ({
      value,
      symbolSize: entry.flagged_twice ? 16 : entry.flagged ? 12 : 8,
      symbol: entry.flagged_twice ? 'diamond' : 'circle',
      itemStyle: { color: entry.flagged ? FLAGGED_COLOR : undefined },
    });
    return {
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const entry = entries[params[0]?.dataIndex ?? -1];
          if (!entry) return '';
          const lines = [
            entry.cycle_name,
            t('results.history.tooltipTotal', { total: entry.total ?? '—' }),
            t('results.history.tooltipRank', { rank: entry.rank ?? '—', reports: entry.reports }),
          ];
          if (entry.flagged) lines.push(t(entry.flagged_twice ? 'results.history.flaggedTwice' : 'results.flags.flagged'));
          return lines.join('<br/>');
        },
      },
      xAxis: { type: 'category', data: entries.map((entry) => entry.cycle_name), axisLabel: { interval: 0 } },
      yAxis: [
        { type: 'value', name: t('results.history.total'), ...axis },
        { type: 'value', name: t('results.history.rank'), inverse: true, min: 1, max: maxRank, minInterval: 1 },
      ],
      series: [
        {
          type: 'line',
          name: t('results.history.total'),
          yAxisIndex: 0,
          data: entries.map((entry) => point(entry, toNumber(entry.total))),
          lineStyle: { color: '#b7202e' },
          itemStyle: { color: '#b7202e' },
          label: { show: true, formatter: '{c}' },
        },
        {
          type: 'line',
          name: t('results.history.rank'),
          yAxisIndex: 1,
          data: entries.map((entry) => point(entry, entry.rank)),
          lineStyle: { type: 'dashed', color: '#1677ff' },
          itemStyle: { color: '#1677ff' },
        },
      ],
    };
  }, [entries, axis, t]);
  const label = `${t('results.history.chart', { org: history.org_name })}: ${entries
    .map((entry) => `${entry.cycle_name} ${entry.total ?? '—'} #${entry.rank ?? '—'}`)
    .join(', ')}`;
  if (entries.length === 0) return <Empty description={t('results.history.empty')} />;
  return (
    <Suspense fallback={<Skeleton active />}>
      <EChart option={option} label={label} height={320} testId="history-chart" />
    </Suspense>
  );
}

/** The cycles' entries as a table, flagged ones tagged. */
export function HistoryTable({ entries }: { entries: HistoryEntry[] }) {
  const { t } = useTranslation();
  return (
    <Table<HistoryEntry>
      rowKey="cycle_id"
      size="small"
      pagination={false}
      dataSource={entries}
      locale={{ emptyText: t('results.history.empty') }}
      onRow={(entry) => (entry.flagged_twice ? { style: { background: '#fff1f0' } } : {})}
      columns={[
        { title: t('results.history.cycle'), dataIndex: 'cycle_name' },
        { title: t('results.history.total'), dataIndex: 'total', align: 'right', render: (v: string | null) => v ?? '—' },
        {
          title: t('results.history.rank'),
          key: 'rank',
          align: 'right',
          render: (_, entry) => t('results.history.rankOf', { rank: entry.rank ?? '—', reports: entry.reports }),
        },
        { title: t('results.table.tier'), dataIndex: 'tier', render: (tier: string | null) => <TierTag tier={tier} /> },
        {
          title: t('results.table.flags'),
          key: 'flags',
          render: (_, entry) => (
            <Space size={[0, 4]} wrap>
              {entry.flagged && <Tag color="red">{t('results.flags.flagged')}</Tag>}
              {entry.flagged_twice && (
                <Tag color="#cf1322" data-testid="history-flagged-twice">
                  {t('results.history.flaggedTwice')}
                </Tag>
              )}
            </Space>
          ),
        },
      ]}
      data-testid="history-table"
    />
  );
}

/** An organisation's published results across cycles: the warning, the chart and the table. */
export function OrgHistoryView({ orgId }: { orgId: number }) {
  const { t } = useTranslation();
  const history = useQuery(orgHistoryQuery(orgId));
  if (history.isError) return <ErrorResult error={history.error} onRetry={() => void history.refetch()} />;
  if (history.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  const data = history.data;
  const last = data.entries.at(-1);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="org-history">
      {data.flagged_consecutively && (
        <Alert type="error" showIcon message={t('results.history.consecutiveTitle')} description={t('results.history.consecutive')} data-testid="history-consecutive" />
      )}
      {last && (
        <Typography.Text>
          {t('results.history.latest', { cycle: last.cycle_name, total: last.total ?? '—', rank: last.rank ?? '—', reports: last.reports })}{' '}
          <span style={{ color: tierColor(last.tier) }}>●</span>
        </Typography.Text>
      )}
      <Card size="small" title={t('results.history.chart', { org: data.org_name })}>
        <HistoryChart history={data} />
      </Card>
      <HistoryTable entries={data.entries} />
    </Space>
  );
}

export function OrgHistoryModal({ orgId, orgName, onClose }: { orgId: number | null; orgName?: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={orgId !== null} onCancel={onClose} footer={null} width={860} title={t('results.history.title', { org: orgName ?? '' })} destroyOnHidden>
      {orgId !== null && <OrgHistoryView orgId={orgId} />}
    </Modal>
  );
}

/** Organisations flagged in two consecutive cycles (staff). */
export function FlaggedTwiceList({ onOpen }: { onOpen?: (orgId: number, orgName: string) => void }) {
  const { t } = useTranslation();
  const flagged = useQuery(flaggedTwiceQuery());
  return (
    <Card title={t('results.history.flaggedTwiceTitle')} data-testid="flagged-twice">
      {flagged.isError ? (
        <ErrorResult error={flagged.error} onRetry={() => void flagged.refetch()} />
      ) : (
        <List
          loading={flagged.isPending}
          dataSource={flagged.data ?? []}
          locale={{ emptyText: t('results.history.flaggedTwiceEmpty') }}
          renderItem={(org) => {
            const cycles = org.entries.filter((entry) => entry.flagged).map((entry) => entry.cycle_name);
            return (
              <List.Item
                actions={
                  onOpen
                    ? [
                        <Typography.Link key="open" onClick={() => onOpen(org.org_id, org.org_name)}>
                          {t('results.table.history')}
                        </Typography.Link>,
                      ]
                    : undefined
                }
              >
                <List.Item.Meta title={org.org_name} description={t('results.history.flaggedIn', { cycles: cycles.join('、') })} />
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}

