// The depth profile along the sample path (stem = 0 to classifier): forward signal variance or
// gradient norm of each module's output, one line per run, on a log10 axis (the values are drawn
// as their log10, so the axis needs no log scale). Fixed size, no animation.
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatSig } from '../format/numbers.ts';
import { axisLabel, DOMAIN_DATA, TITLED_MARGIN } from './chartProps.ts';

interface Props {
  testId: string;
  title: string;
  /** The y axis title (the values are drawn on a log scale). */
  yTitle: string;
  rows: Array<Record<string, number | string>>;
  /** 'var' or 'grad': the row fields `${prefix}:${run key}`. */
  prefix: 'var' | 'grad';
  series: string[];
  colorOf: (series: string) => string;
}

const pow10 = (v: number) => formatSig(10 ** v, 4);
const X_LABEL = axisLabel('module along the sample path (stem = 0)', 'x');
const decade = (v: number) => `1e${Math.round(v)}`;

export function DepthChart({ testId, title, yTitle, rows, prefix, series, colorOf }: Props) {
  const logRows = useMemo(
    () =>
      rows.map((r) => {
        const out: Record<string, number | string | null> = { index: r.index, name: r.name };
        for (const s of series) {
          const v = r[`${prefix}:${s}`];
          out[s] = typeof v === 'number' && v > 0 ? Math.log10(v) : null;
        }
        return out;
      }),
    [rows, prefix, series],
  );
  // Whole decades as ticks (the values are log10).
  const logs = logRows.flatMap((r) => series.map((s) => r[s])).filter((v): v is number => typeof v === 'number');
  const lo = logs.length ? Math.floor(Math.min(...logs)) : 0;
  const hi = logs.length ? Math.ceil(Math.max(...logs)) : 1;
  const step = Math.max(1, Math.ceil((hi - lo) / 6));
  const ticks = Array.from({ length: Math.floor((hi - lo) / step) + 1 }, (_, i) => lo + i * step);
  return (
    <figure className="chart" data-chart={testId} data-testid={testId} data-points={rows.length}>
      <figcaption>{title}</figcaption>
      <LineChart width={420} height={250} data={logRows} margin={TITLED_MARGIN}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="index" type="number" domain={DOMAIN_DATA} allowDecimals={false} label={X_LABEL} />
        <YAxis width={48} domain={[lo, hi]} ticks={ticks} tickFormatter={decade} fontSize={11} label={axisLabel(yTitle, 'y')} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? pow10(v) : String(v))} labelFormatter={(i) => `module ${i}: ${String(rows[Number(i)]?.name ?? '')}`} />
        <Legend verticalAlign="top" height={24} />
        {series.map((s) => (
          <Line key={s} type="linear" dataKey={s} name={s} stroke={colorOf(s)} dot={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </figure>
  );
}
