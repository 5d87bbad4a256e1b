// The squared singular values of one module's tile Jacobian as a histogram on the fixed log bins
// (plus "under" and "over" bins), one bar series per run (orthogonal against he-normal, at init
// against trained), as the share of the module's values in each bin. Bin edges are labelled at
// every decade (at the band's left edge: a bar covers [edge, next edge)); a dashed reference line
// marks sigma^2 = 1, "isometry". Fixed size, no animation.
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { SpectrumRow } from '../store/isometryReducers.ts';
import { formatSig } from '../format/numbers.ts';
import { niceTicks, tickDecimals } from './axis.ts';
import { axisLabel, TITLED_MARGIN } from './chartProps.ts';

interface Props {
  title: string;
  rows: SpectrumRow[];
  /** Run keys, one bar series each. */
  series: string[];
  colorOf: (series: string) => string;
}

const DECADE = /^1e(-?\d+)$/;
const Y_LABEL = axisLabel("share of the module's σ² (%)", 'y');
const ISO_LABEL = { value: 'isometry (σ² = 1)', position: 'insideTopLeft' as const, className: 'iso-ref-label', offset: 6 };
const pct = (v: number) => `${formatSig(100 * v, 3)} %`;

/** A decade edge as text: 1e0 -> "1", 1e1 -> "10", 1e-3 -> "1e-3". */
export function edgeText(bin: string): string {
  const m = DECADE.exec(bin);
  if (!m) return bin;
  const e = Number(m[1]);
  return e === 0 ? '1' : e === 1 ? '10' : e === 2 ? '100' : `1e${e}`;
}

/** An edge value as text: a power of ten as its tick reads (1e-4, 1, 100), else 3 figures. */
function edgeValue(v: number): string {
  const e = Math.log10(v);
  return Math.abs(e - Math.round(e)) < 1e-9 ? edgeText(`1e${Math.round(e)}`) : formatSig(v);
}

interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value: unknown; offset?: number };
}

/** A tick label at the band's left edge (the bin's lower edge), not its middle. */
function EdgeTick({ x: xIn = 0, y: yIn = 0, payload }: TickProps) {
  if (!payload) return null;
  const x = Number(xIn);
  const y = Number(yIn);
  const left = x - (payload.offset ?? 0);
  return (
    <g>
      <line x1={left} x2={left} y1={y - 8} y2={y - 3} stroke="var(--ink-2)" />
      <text x={left} y={y + 9} textAnchor="middle" fontSize={11} className="recharts-cartesian-axis-tick-value">
        {edgeText(String(payload.value))}
      </text>
    </g>
  );
}

export function SpectrumChart({ title, rows, series, colorOf }: Props) {
  const { ticks, range, yTicks, xLabel } = useMemo(() => {
    const max = Math.max(0.01, ...rows.flatMap((r) => series.map((s) => (typeof r[s] === 'number' ? (r[s] as number) : 0))));
    const first = rows[1]?.lo;
    const last = rows[rows.length - 1]?.lo;
    const range = new Map<string, string>();
    rows.forEach((r, i) => {
      const hi = rows[i + 1]?.lo ?? null;
      if (r.lo === null) range.set(r.bin, `σ² below ${edgeValue(hi ?? 0)} (zeros included)`);
      else if (hi === null) range.set(r.bin, `σ² at least ${edgeValue(r.lo)}`);
      else range.set(r.bin, `σ² from ${formatSig(r.lo)} to ${formatSig(hi)}`);
    });
    const tails = first !== undefined && last !== undefined && first !== null && last !== null ? `; outer bars: below ${edgeValue(first)}, at least ${edgeValue(last)}` : '';
    return {
      ticks: rows.map((r) => r.bin).filter((b) => DECADE.test(b)),
      range,
      yTicks: niceTicks(0, max, 4),
      xLabel: axisLabel(`σ², squared singular value (log bins${tails})`, 'x'),
    };
  }, [rows, series]);
  return (
    <figure className="chart" data-chart="spectrum-chart" data-testid="spectrum-chart" data-series={series.length}>
      <figcaption>{title}</figcaption>
      <BarChart width={640} height={270} data={rows} margin={TITLED_MARGIN} barGap={0} barCategoryGap={1}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="bin" ticks={ticks} interval={0} tick={EdgeTick} label={xLabel} />
        <YAxis width={52} domain={[0, yTicks.hi]} ticks={yTicks.ticks} tickFormatter={(v: number) => (100 * v).toFixed(tickDecimals(yTicks.ticks.map((t) => 100 * t)))} label={Y_LABEL} fontSize={11} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? pct(v) : String(v))} labelFormatter={(bin) => range.get(String(bin)) ?? String(bin)} />
        <Legend verticalAlign="top" height={24} />
        <ReferenceLine x="1e0" position="start" stroke="var(--danger)" strokeDasharray="5 3" strokeWidth={1.5} label={ISO_LABEL} data-testid="iso-ref" />
        {series.map((s) => (
          <Bar key={s} dataKey={s} name={s} fill={colorOf(s)} isAnimationActive={false} />
        ))}
      </BarChart>
    </figure>
  );
}
