import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { EChartOption } from '../../../../components/charts/EChart';
import { percent } from '../../logic';
import { bulletinSeries } from '../logic';
import type { BulletinContentLike } from '../types';

const EChart = lazy(() => import('../../../../components/charts/EChart'));

/**
 * A bulletin's weighted completion by unit as bars coloured by light (the figure on each), with the expected-pace
 * line; `horizontal` lays the units down the side, for a narrow screen.
 */
export function BulletinChart({ content, horizontal = false, testId = 'bulletin-chart' }: { content: BulletinContentLike; horizontal?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const series = useMemo(() => bulletinSeries(content), [content]);
  const option = useMemo<EChartOption>(() => {
    const units = { type: 'category', data: series.names, ...(horizontal ? { inverse: true } : { axisLabel: { interval: 0, rotate: series.names.length > 8 ? 40 : 0 } }) };
    const values = {
      type: 'value',
      min: 0,
      max: (extent: { max: number }) => Math.max(100, Math.ceil(extent.max / 10) * 10),
      axisLabel: { formatter: '{value}%' },
    };
    return {
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value}%` },
      legend: { data: [t('targets.completion.weighted'), t('targets.completion.paceLine')], top: 0 },
      xAxis: horizontal ? values : units,
      yAxis: horizontal ? units : values,
      series: [
        {
          name: t('targets.completion.weighted'),
          type: 'bar',
          data: series.values.map((value, index) => ({ value, itemStyle: { color: series.colours[index] } })),
          label: { show: true, position: horizontal ? 'right' : 'top', formatter: '{c}%' },
        },
        {
          name: t('targets.completion.paceLine'),
          type: 'line',
          data: series.names.map(() => series.pace),
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#595959' },
          itemStyle: { color: '#595959' },
        },
      ],
    };
  }, [series, t, horizontal]);
  const summary = [
    ...content.units.filter((unit) => unit.weighted_completion !== null).map((unit) => `${unit.org.name} ${percent(unit.weighted_completion)}`),
    t('targets.completion.pace', { pace: percent(content.expected_pace) }),
  ].join('，');
  const height = horizontal ? Math.max(240, 60 + series.names.length * 32) : Math.max(300, 260 + (series.names.length > 8 ? 60 : 0));
  return (
    <Suspense fallback={null}>
      <EChart option={option} label={t('supervision.bulletins.chartLabel', { summary })} height={height} testId={testId} />
    </Suspense>
  );
}
