import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { CompletionRead, Light } from '../../../api/types';
import type { EChartOption } from '../../../components/charts/EChart';
import { percent, percentValue } from '../logic';

const EChart = lazy(() => import('../../../components/charts/EChart'));

const LIGHT_COLOURS: Record<Light, string> = { red: '#cf1322', yellow: '#d48806', green: '#389e0d' };

/** The chart's figures: each ranked unit's weighted completion and the expected pace, in percent. */
export function chartSeries(completion: CompletionRead) {
  const units = completion.units.filter((unit) => unit.weighted_completion !== null);
  return {
    names: units.map((unit) => unit.org.name),
    values: units.map((unit) => Number(percentValue(unit.weighted_completion))),
    lights: units.map((unit) => unit.light),
    pace: Number(percentValue(completion.expected_pace)),
  };
}

/** Weighted completion per unit as bars (coloured by light, the figures on them) against the expected-pace line. */
export function CompletionChart({ completion }: { completion: CompletionRead }) {
  const { t } = useTranslation();
  const series = useMemo(() => chartSeries(completion), [completion]);
  const option = useMemo<EChartOption>(() => {
    const pace = t('targets.completion.paceLine');
    return {
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value}%` },
      xAxis: { type: 'category', data: series.names, axisLabel: { interval: 0, rotate: series.names.length > 8 ? 40 : 0 } },
      yAxis: {
        type: 'value',
        min: 0,
        max: (extent: { max: number }) => Math.max(100, Math.ceil(extent.max / 10) * 10),
        axisLabel: { formatter: '{value}%' },
      },
      series: [
        {
          name: t('targets.completion.weighted'),
          type: 'bar',
          barMaxWidth: 48,
          data: series.values.map((value, index) => ({ value, itemStyle: { color: LIGHT_COLOURS[series.lights[index] ?? 'green'] } })),
          label: { show: true, position: 'top', formatter: '{c}%' },
          // The expected pace across the whole chart, named on the line itself.
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { type: 'dashed', color: '#595959', width: 2 },
            label: { position: 'insideEndTop', formatter: `${pace} ${series.pace}%`, color: '#262626' },
            data: [{ yAxis: series.pace, name: pace }],
          },
        },
      ],
    };
  }, [series, t]);
  const summary = [
    ...completion.units.filter((unit) => unit.weighted_completion !== null).map((unit) => `${unit.org.name} ${percent(unit.weighted_completion)}`),
    t('targets.completion.pace', { pace: percent(completion.expected_pace) }),
  ].join('，');
  return (
    <Suspense fallback={null}>
      <EChart option={option} label={t('targets.completion.chartLabel', { summary })} height={Math.max(280, 240 + (series.names.length > 8 ? 60 : 0))} testId="completion-chart" />
    </Suspense>
  );
}
