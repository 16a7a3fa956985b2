import { useMemo } from 'react';

import EChart, { type EChartOption } from './EChart';

export interface BarChartProps {
  categories: string[];
  values: number[];
  seriesName: string;
  height?: number;
  color?: string;
}

/** A small bar chart; the figures are also in its accessible label for readers who cannot see the canvas. */
export default function BarChart({ categories, values, seriesName, height = 280, color = '#c8102e' }: BarChartProps) {
  const option = useMemo<EChartOption>(
    () => ({
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ name: seriesName, type: 'bar', data: values, itemStyle: { color }, label: { show: true, position: 'top' } }],
    }),
    [categories, values, seriesName, color],
  );
  const summary = categories.map((category, index) => `${category} ${values[index] ?? 0}`).join(', ');
  return <EChart option={option} label={`${seriesName}: ${summary}`} height={height} testId="bar-chart" />;
}
