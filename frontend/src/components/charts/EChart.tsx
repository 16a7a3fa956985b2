import { BarChart, LineChart, PieChart, RadarChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, RadarComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';

// Only the pieces the app draws, so the chart chunk stays small; every chart renders through this one component.
echarts.use([
  BarChart,
  LineChart,
  PieChart,
  RadarChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  RadarComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type EChartOption = echarts.EChartsCoreOption;

export interface EChartProps {
  /** The whole option; it replaces the previous one (no merging), so removed series disappear. */
  option: EChartOption;
  /** What the chart shows, with its figures, for readers who cannot see the canvas. */
  label: string;
  height?: number;
  testId?: string;
}

/** Any ECharts chart (bar, line, pie, radar) built by the caller, resized with its container. */
export default function EChart({ option, label, height = 320, testId = 'echart' }: EChartProps) {
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
    chart?.setOption(option, true);
  }, [chart, option]);

  useEffect(() => {
    chart?.resize();
  }, [chart, height]);

  return <div ref={container} role="img" aria-label={label} style={{ width: '100%', height }} data-testid={testId} />;
}
