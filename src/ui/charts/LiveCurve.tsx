// A training curve drawn as plain SVG: dashed grid at nice ticks, one path, dots while there are
// few points, and a readout of the point nearest the pointer. The live curves redraw with every
// streamed step; a recharts LineChart redraw measured 30-40 ms of main-thread script on the
// benchmark machine (docs/benchmarks.md, "UI frame time"), this one a fraction of a millisecond.
// recharts stays for the charts that change rarely (Pareto, spectra, depth profile).
import { useState, type MouseEvent } from 'react';
import type { CurvePoint } from '../store/trainReducers.ts';
import { linearScale, linePath, nearestIndex, niceTicks, tickDecimals, type Ticks } from './axis.ts';

const W = 420;
const H = 214;
const M = { top: 8, right: 16, bottom: 38, left: 60 };
const PERCENT: Ticks = { lo: 0, hi: 100, ticks: [0, 25, 50, 75, 100] };

interface Props {
  points: CurvePoint[];
  /** 'acc' (a 0..1 fraction) is drawn in %. */
  dataKey: 'loss' | 'acc';
  color: string;
  label: string;
  /** The y axis title with its unit; the x axis is the step (steps taken). */
  yTitle: string;
}

const fmt = (v: number, ticks: Ticks): string => v.toFixed(tickDecimals(ticks.ticks));

export function LiveCurve({ points, dataKey, color, label, yTitle }: Props) {
  const [hover, setHover] = useState<number | null>(null);
  const pct = dataKey === 'acc';
  const xs = points.map((p) => p.step);
  const ys = points.map((p) => (pct ? 100 * p.acc : p.loss));
  const xt = xs.length ? niceTicks(xs[0], xs[xs.length - 1], 6, true) : niceTicks(0, 1, 1, true);
  const yt = pct ? PERCENT : ys.length ? niceTicks(Math.min(...ys), Math.max(...ys), 4) : niceTicks(0, 1, 4);
  const sx = linearScale(xt.lo, xt.hi, M.left, W - M.right);
  const sy = linearScale(yt.lo, yt.hi, H - M.bottom, M.top);
  const px = xs.map(sx);
  const py = ys.map(sy);
  const shown = hover !== null && hover < points.length ? hover : null;
  const onMove = (e: MouseEvent<SVGRectElement>) => {
    if (!xs.length) return;
    const box = e.currentTarget.getBoundingClientRect();
    const x = xt.lo + ((e.clientX - box.left) / box.width) * (xt.hi - xt.lo);
    setHover(nearestIndex(xs, x));
  };
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} className="live-curve">
      <g className="grid" strokeDasharray="3 3">
        {xt.ticks.map((t) => (
          <line key={`x${t}`} x1={sx(t)} x2={sx(t)} y1={M.top} y2={H - M.bottom} />
        ))}
        {yt.ticks.map((t) => (
          <line key={`y${t}`} x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} />
        ))}
      </g>
      <g className="axis" fontSize={11}>
        {xt.ticks.map((t) => (
          <text key={`x${t}`} x={sx(t)} y={H - M.bottom + 15} textAnchor="middle">
            {t}
          </text>
        ))}
        {yt.ticks.map((t) => (
          <text key={`y${t}`} x={M.left - 6} y={sy(t) + 4} textAnchor="end">
            {fmt(t, yt)}
          </text>
        ))}
        <text className="axis-title" data-axis="x" x={M.left + (W - M.left - M.right) / 2} y={H - 4} textAnchor="middle">
          step
        </text>
        <text className="axis-title" data-axis="y" transform={`translate(14 ${M.top + (H - M.top - M.bottom) / 2}) rotate(-90)`} textAnchor="middle">
          {yTitle}
        </text>
      </g>
      {points.length > 0 && <path className="curve-line" d={linePath(px, py)} fill="none" stroke={color} strokeWidth={1.5} />}
      {points.length < 30 && px.map((x, i) => <circle key={xs[i]} cx={x} cy={py[i]} r={2.5} fill={color} />)}
      {shown !== null && (
        <g className="readout" pointerEvents="none">
          <line x1={px[shown]} x2={px[shown]} y1={M.top} y2={H - M.bottom} stroke="var(--ink-2)" />
          <circle cx={px[shown]} cy={py[shown]} r={4} fill="none" stroke={color} strokeWidth={2} />
          <text x={Math.min(px[shown] + 6, W - M.right - 120)} y={M.top + 12} fontSize={12} data-testid="curve-readout" className="curve-readout">
            step {xs[shown]}: {pct ? `${ys[shown].toFixed(1)} %` : ys[shown].toFixed(4)}
          </text>
        </g>
      )}
      <rect x={M.left} y={M.top} width={W - M.left - M.right} height={H - M.top - M.bottom} fill="transparent" onMouseMove={onMove} onMouseLeave={() => setHover(null)} />
    </svg>
  );
}
