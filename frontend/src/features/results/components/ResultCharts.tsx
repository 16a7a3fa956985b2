import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Select, Skeleton, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ResultItem } from '../../../api/types';
import { withheldText } from '../../../lib/withheld';
import { itemAveragesQuery } from '../api';
import { isTier, itemRadar, tierColor, tierDistribution, toNumber } from '../model';

// ECharts loads only when a chart is on screen.
const EChart = lazy(() => import('../../../components/charts/EChart'));

function ChartFallback() {
  return <Skeleton active />;
}

/** Totals by organisation, best at the top, each bar in its tier's colour. */
export function RankingChart({ items, maxTotal }: { items: ResultItem[]; maxTotal: string }) {
  const { t } = useTranslation();
  const ranked = useMemo(() => items.filter((item) => item.total !== null), [items]);
  const option = useMemo(() => {
    // Horizontal bars read top-down, so the best goes last in the category axis.
    const rows = [...ranked].reverse();
    return {
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (params: { dataIndex: number }) => {
          const item = rows[params.dataIndex];
          if (!item) return '';
          const tier = isTier(item.tier) ? t(`tiers.${item.tier}`) : t('results.noTier');
          return t('results.charts.rankingTooltip', { org: item.org_name, total: item.total, rank: item.rank ?? '—', tier });
        },
      },
      xAxis: { type: 'value', max: toNumber(maxTotal) ?? undefined },
      yAxis: { type: 'category', data: rows.map((item) => item.org_name), axisLabel: { interval: 0 } },
      series: [
        {
          type: 'bar',
          name: t('results.charts.total'),
          data: rows.map((item) => ({ value: toNumber(item.total), itemStyle: { color: tierColor(item.tier) } })),
          label: { show: true, position: 'right' },
          barMaxWidth: 22,
        },
      ],
    };
  }, [ranked, maxTotal, t]);
  const label = `${t('results.charts.ranking')}: ${ranked.map((item) => `${item.org_name} ${item.total}`).join(', ')}`;
  return (
    <Card title={t('results.charts.ranking')} data-testid="ranking-chart-card">
      {ranked.length === 0 ? (
        <Empty description={t('results.charts.empty')} />
      ) : (
        <Suspense fallback={<ChartFallback />}>
          <EChart option={option} label={label} height={Math.max(240, ranked.length * 26 + 40)} testId="ranking-chart" />
        </Suspense>
      )}
    </Card>
  );
}

/** How many reports fell in each tier. */
export function TierChart({ items }: { items: ResultItem[] }) {
  const { t } = useTranslation();
  const distribution = useMemo(() => tierDistribution(items), [items]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          name: t('results.charts.tiers'),
          radius: ['40%', '70%'],
          center: ['50%', '45%'],
          label: { formatter: '{b} {c}' },
          data: distribution.map(({ tier, count }) => ({
            name: tier ? t(`tiers.${tier}`) : t('results.noTier'),
            value: count,
            itemStyle: { color: tierColor(tier) },
          })),
        },
      ],
    }),
    [distribution, t],
  );
  const label = `${t('results.charts.tiers')}: ${distribution
    .map(({ tier, count }) => `${tier ? t(`tiers.${tier}`) : t('results.noTier')} ${count}`)
    .join(', ')}`;
  return (
    <Card title={t('results.charts.tiers')} data-testid="tier-chart-card">
      {distribution.length === 0 ? (
        <Empty description={t('results.charts.empty')} />
      ) : (
        <Suspense fallback={<ChartFallback />}>
          <EChart option={option} label={label} height={300} testId="tier-chart" />
        </Suspense>
      )}
    </Card>
  );
}

/** One report's average points per ballot item against the average over every ballot of the cycle (the county). */
export function ItemRadar({ cycleId, defaultReportId }: { cycleId: number; defaultReportId?: number }) {
  const { t } = useTranslation();
  const averages = useQuery(itemAveragesQuery(cycleId));
  const reports = averages.data?.reports ?? [];
  const [picked, setPicked] = useState<number | undefined>(defaultReportId);
  const reportId = reports.some((row) => row.report_id === picked) ? picked : reports[0]?.report_id;
  const report = reports.find((row) => row.report_id === reportId);
  const radar = useMemo(() => (averages.data ? itemRadar(averages.data, reportId) : null), [averages.data, reportId]);

  const option = useMemo(() => {
    if (!radar || !report) return null;
    return {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      radar: { indicator: radar.axes.map((axis) => ({ ...axis, min: 0 })), radius: '62%', center: ['50%', '46%'] },
      series: [
        {
          type: 'radar',
          data: [
            { name: report.org_name, value: radar.mine, areaStyle: { opacity: 0.15 } },
            { name: t('results.charts.average'), value: radar.county, itemStyle: { color: '#8c8c8c' }, lineStyle: { type: 'dashed' } },
          ],
        },
      ],
    };
  }, [radar, report, t]);

  let body;
  if (averages.isPending) body = <ChartFallback />;
  else if (report?.withheld) {
    body = <Empty description={t('results.charts.radarWithheld', { reason: withheldText(t, report) })} data-testid="radar-withheld" />;
  } else if (!radar || !report || !option) body = <Empty description={t('results.charts.radarUnavailable')} />;
  else {
    const label = `${t('results.charts.radar')}: ${report.org_name} ${radar.axes
      .map((axis, i) => `${axis.name} ${radar.mine[i]} / ${radar.county[i]}`)
      .join(', ')}`;
    body = (
      <Suspense fallback={<ChartFallback />}>
        <EChart option={option} label={label} height={300} testId="radar-chart" />
      </Suspense>
    );
  }
  return (
    <Card
      title={t('results.charts.radar')}
      extra={
        reports.length > 1 && (
          <Select
            size="small"
            style={{ width: 180 }}
            value={reportId}
            onChange={setPicked}
            showSearch
            optionFilterProp="label"
            aria-label={t('results.charts.radarReport')}
            options={reports.map((row) => ({ value: row.report_id, label: row.org_name }))}
          />
        )
      }
      data-testid="radar-chart-card"
    >
      {body}
      {radar && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0, marginTop: 8, fontSize: 12 }}>
          {t('results.charts.radarHint')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
