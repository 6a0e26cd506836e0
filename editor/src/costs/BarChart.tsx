// A bar chart drawn by uPlot (a small, dependency-free canvas charting library), loaded only by
// the costs page. Values are micro-dollars; the axis and tooltip show dollars. The canvas is
// decorative for screen readers: every chart sits beside a table with the same figures.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface BarChartProps {
  labels: string[];
  micros: number[];
  height?: number;
  color?: string;
  /** The y axis's labels; default dollars (the values are micro-dollars). */
  format?: (value: number) => string;
}

const dollars = (micros: number) => `$${(micros / 1_000_000).toFixed(micros !== 0 && Math.abs(micros) < 10_000 ? 6 : 2)}`;

export default function BarChart(props: BarChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const xs = props.labels.map((_, i) => i);
    const width = Math.max(240, el.clientWidth);
    const color = props.color ?? (getComputedStyle(el).getPropertyValue('--kf-accent').trim() || '#4f46e5');
    const labels = props.labels;
    const format = props.format ?? dollars;
    const plot = new uPlot(
      {
        width,
        height: props.height ?? 220,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          { values: (_u, splits) => splits.map((s) => (Number.isInteger(s) && labels[s] !== undefined ? labels[s]! : '')), gap: 4, size: 40 },
          { values: (_u, splits) => splits.map((s) => format(s)), size: 80 },
        ],
        series: [{}, { label: 'Spend', fill: color, stroke: color, paths: uPlot.paths.bars!({ size: [0.7, 48] }), points: { show: false } }],
      },
      [xs, props.micros],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: props.height ?? 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.labels, props.micros, props.height, props.color, props.format]);
  return <div ref={host} className="kf-costs__chart" aria-hidden="true" />;
}
