// The squared singular values of one module's tile Jacobian as a histogram on the fixed log bins
// (plus "under" and "over" bins), one bar series per run (orthogonal against he-normal, at init
// against trained), as the fraction of the module's values in each bin. Fixed size, no animation.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { SpectrumRow } from '../store/isometryReducers.ts';
import { CHART_MARGIN, DOMAIN_FROM_ZERO, fixed2 } from './chartProps.ts';

interface Props {
  title: string;
  rows: SpectrumRow[];
  /** Run keys, one bar series each. */
  series: string[];
  colorOf: (series: string) => string;
}

export function SpectrumChart({ title, rows, series, colorOf }: Props) {
  return (
    <figure className="chart" data-testid="spectrum-chart" data-series={series.length}>
      <figcaption>{title}</figcaption>
      <BarChart width={640} height={240} data={rows} margin={CHART_MARGIN} barGap={0} barCategoryGap={1}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="bin" ticks={rows.map((r) => r.bin).filter((b) => /^1e-?\d+$/.test(b))} interval={0} fontSize={11} />
        <YAxis width={48} domain={DOMAIN_FROM_ZERO} tickFormatter={fixed2} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
        <Legend />
        {series.map((s) => (
          <Bar key={s} dataKey={s} name={s} fill={colorOf(s)} isAnimationActive={false} />
        ))}
      </BarChart>
    </figure>
  );
}
