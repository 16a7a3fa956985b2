import { BarChart as EBarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';

// Only the pieces used here, so the chart chunk stays small.
echarts.use([EBarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface BarChartProps {
  categories: string[];
  values: number[];
  seriesName: string;
  height?: number;
  color?: string;
}

/** A small bar chart; the figures are also in its accessible label for readers who cannot see the canvas. */
export default function BarChart({ categories, values, seriesName, height = 280, color = '#c8102e' }: BarChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const instance = echarts.init(element);
    setChart(instance);
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
    };
  }, []);

  useEffect(() => {
    chart?.setOption({
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ name: seriesName, type: 'bar', data: values, itemStyle: { color }, label: { show: true, position: 'top' } }],
    });
  }, [chart, categories, values, seriesName, color]);

  const summary = categories.map((category, index) => `${category} ${values[index] ?? 0}`).join(', ');
  return (
    <div ref={container} role="img" aria-label={`${seriesName}: ${summary}`} style={{ width: '100%', height }} data-testid="bar-chart" />
  );
}
