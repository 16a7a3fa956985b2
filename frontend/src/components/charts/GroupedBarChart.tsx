import { useMemo } from 'react';

import EChart, { type EChartOption } from './EChart';

export interface BarSeries {
  name: string;
  values: number[];
  color?: string;
}

export interface GroupedBarChartProps {
  categories: string[];
  series: BarSeries[];
  height?: number;
  label: string;
}

/** Several bar series side by side per category; the figures are in the accessible label too. */
export default function GroupedBarChart({ categories, series, height = 360, label }: GroupedBarChartProps) {
  const option = useMemo<EChartOption>(
    () => ({
      grid: { left: 8, right: 16, top: 40, bottom: categories.length > 16 ? 48 : 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      dataZoom: categories.length > 16 ? [{ type: 'slider', start: 0, end: 40, height: 16, bottom: 8 }] : [],
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((s) => ({ name: s.name, type: 'bar', data: s.values, itemStyle: s.color ? { color: s.color } : undefined })),
    }),
    [categories, series],
  );
  const summary = series.map((s) => `${s.name}: ${s.values.reduce((a, b) => a + b, 0)}`).join(', ');
  return <EChart option={option} label={`${label} (${summary})`} height={height} testId="grouped-bar-chart" />;
}
