import { Card, Empty, Select, Skeleton, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ResultItem } from '../../../api/types';
import { groupAverages, isTier, reportsWithGroups, resultGroups, tierColor, tierDistribution, toNumber } from '../model';

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

/**
 * One report's group scores against the average of all reports per group. The results carry group scores, not
 * per-item averages, so the radar's axes are the evaluator groups.
 */
export function GroupRadar({ items, defaultReportId }: { items: ResultItem[]; defaultReportId?: number }) {
  const { t } = useTranslation();
  const groups = useMemo(() => resultGroups(items), [items]);
  const averages = useMemo(() => groupAverages(items), [items]);
  const candidates = useMemo(() => items.filter((item) => item.groups.some((group) => group.score !== null)), [items]);
  const [picked, setPicked] = useState<number | undefined>(defaultReportId);
  const reportId = candidates.some((item) => item.report_id === picked) ? picked : candidates[0]?.report_id;
  const report = candidates.find((item) => item.report_id === reportId);
  const comparable = reportsWithGroups(items) > 1 && groups.length > 0;

  const option = useMemo(() => {
    if (!report) return null;
    const mine = groups.map((group) => toNumber(report.groups.find((g) => g.key === group.key)?.score) ?? 0);
    const average = groups.map((group) => averages.get(group.key) ?? 0);
    // Scores cluster high, so the axes start a little below the lowest one instead of at 0, or every shape looks alike.
    const highest = Math.max(...mine, ...average, 1);
    const lowest = Math.min(...mine, ...average);
    const max = Math.ceil(highest / 10) * 10;
    const min = Math.max(0, Math.floor((lowest - 10) / 10) * 10);
    return {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      radar: { indicator: groups.map((group) => ({ name: group.name, min, max })), radius: '62%', center: ['50%', '46%'] },
      series: [
        {
          type: 'radar',
          data: [
            { name: report.org_name, value: mine, itemStyle: { color: tierColor(report.tier) }, areaStyle: { opacity: 0.15 } },
            { name: t('results.charts.average'), value: average, itemStyle: { color: '#8c8c8c' }, lineStyle: { type: 'dashed' } },
          ],
        },
      ],
    };
  }, [report, groups, averages, t]);

  let body;
  if (!comparable || !report || !option) body = <Empty description={t('results.charts.radarUnavailable')} />;
  else {
    const label = `${t('results.charts.radar')}: ${report.org_name} ${groups
      .map((group) => `${group.name} ${report.groups.find((g) => g.key === group.key)?.score ?? '—'} / ${averages.get(group.key) ?? '—'}`)
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
        comparable && (
          <Select
            size="small"
            style={{ width: 180 }}
            value={reportId}
            onChange={setPicked}
            showSearch
            optionFilterProp="label"
            aria-label={t('results.charts.radarReport')}
            options={candidates.map((item) => ({ value: item.report_id, label: item.org_name }))}
          />
        )
      }
      data-testid="radar-chart-card"
    >
      {body}
      {comparable && report && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0, marginTop: 8, fontSize: 12 }}>
          {t('results.charts.radarHint')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
