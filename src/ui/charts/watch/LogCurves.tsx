// Curves over steps on a log10 y axis (plain SVG, as LiveCurve): the watched module's meanSq and
// varSq of the squared singular values, or two runs' curves overlaid. Non-positive values leave a
// gap. A dashed line marks y = 1 when it is in range (meanSq = 1: isometry). Hover is shared.
import type { MouseEvent } from 'react';
import { nearestIndex, linearScale, niceTicks } from '../axis.ts';
import { gappedPath, log10Values } from './stripShape.ts';

export interface LogSeries {
  label: string;
  /** x of each value (steps taken, 1-based), ascending. */
  xs: number[];
  values: ArrayLike<number>;
  color: string;
  dashed?: boolean;
}

interface Props {
  series: LogSeries[];
  title: string;
  yTitle: string;
  /** The hovered x (steps taken), null: none. */
  hover: number | null;
  onHover: (x: number | null) => void;
  /** Linear y instead of log10 (loss, top-1). */
  linear?: boolean;
  testId?: string;
}

const W = 520;
const H = 200;
const M = { top: 10, right: 12, bottom: 36, left: 62 };

export function LogCurves({ series, title, yTitle, hover, onHover, linear = false, testId }: Props) {
  const ys = series.map((s) => (linear ? Array.from(s.values, (v) => (Number.isFinite(v) ? v : NaN)) : log10Values(s.values)));
  const allX = series.flatMap((s) => s.xs);
  const allY = ys.flat().filter(Number.isFinite);
  const xt = allX.length ? niceTicks(Math.min(...allX), Math.max(...allX), 6, true) : niceTicks(0, 1, 1, true);
  const yt = allY.length ? niceTicks(Math.min(...allY), Math.max(...allY), 4, !linear) : niceTicks(-1, 1, 2, true);
  const sx = linearScale(xt.lo, xt.hi, M.left, W - M.right);
  const sy = linearScale(yt.lo, yt.hi, H - M.bottom, M.top);
  const onMove = (e: MouseEvent<SVGRectElement>) => {
    if (!allX.length) return;
    const box = e.currentTarget.getBoundingClientRect();
    const x = xt.lo + ((e.clientX - box.left) / box.width) * (xt.hi - xt.lo);
    const xs = [...new Set(allX)].sort((a, b) => a - b);
    onHover(xs[nearestIndex(xs, x)]);
  };
  const label = (t: number) => (linear ? String(Number(t.toPrecision(6))) : `1e${t}`);
  return (
    <figure className="watch-curves" data-chart="log-curves" data-testid={testId} data-points={series.map((s) => s.xs.length).join(',')} style={{ maxWidth: W, margin: 0 }}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} style={{ width: '100%', height: 'auto' }}>
        <g stroke="var(--grid, #888)" strokeOpacity={0.5} strokeDasharray="3 3">
          {xt.ticks.map((t) => (
            <line key={`x${t}`} x1={sx(t)} x2={sx(t)} y1={M.top} y2={H - M.bottom} />
          ))}
          {yt.ticks.map((t) => (
            <line key={`y${t}`} x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} />
          ))}
        </g>
        {!linear && yt.lo <= 0 && yt.hi >= 0 && <line x1={M.left} x2={W - M.right} y1={sy(0)} y2={sy(0)} stroke="var(--watch-iso, #ff1744)" strokeDasharray="5 3" />}
        <g fontSize={11} fill="var(--fg-muted, currentColor)">
          {xt.ticks.map((t) => (
            <text key={`x${t}`} x={sx(t)} y={H - M.bottom + 14} textAnchor="middle">
              {t}
            </text>
          ))}
          {yt.ticks.map((t) => (
            <text key={`y${t}`} x={M.left - 5} y={sy(t) + 4} textAnchor="end">
              {label(t)}
            </text>
          ))}
          <text className="axis-title" data-axis="x" x={M.left + (W - M.left - M.right) / 2} y={H - 4} textAnchor="middle">
            steps taken
          </text>
          <text className="axis-title" data-axis="y" transform={`translate(12 ${M.top + (H - M.top - M.bottom) / 2}) rotate(-90)`} textAnchor="middle">
            {yTitle}
          </text>
        </g>
        {series.map((s, k) => (
          <g key={s.label}>
            <path d={gappedPath(s.xs.map(sx), ys[k].map((v) => (Number.isFinite(v) ? sy(v) : NaN)))} fill="none" stroke={s.color} strokeWidth={1.6} strokeDasharray={s.dashed ? '6 3' : undefined} />
            {s.xs.length < 40 && s.xs.map((x, i) => (Number.isFinite(ys[k][i]) ? <circle key={x} cx={sx(x)} cy={sy(ys[k][i])} r={2.2} fill={s.color} /> : null))}
          </g>
        ))}
        {hover !== null && <line x1={sx(hover)} x2={sx(hover)} y1={M.top} y2={H - M.bottom} stroke="var(--fg-muted, #888)" pointerEvents="none" />}
        <rect x={M.left} y={M.top} width={W - M.left - M.right} height={H - M.top - M.bottom} fill="transparent" onMouseMove={onMove} onMouseLeave={() => onHover(null)} />
      </svg>
      <figcaption className="note">
        <Legend series={series} hover={hover} /> {title}
      </figcaption>
    </figure>
  );
}

function Legend({ series, hover }: { series: LogSeries[]; hover: number | null }) {
  return (
    <span className="watch-legend">
      {series.map((s) => {
        const i = hover === null ? -1 : s.xs.indexOf(hover);
        const v = i >= 0 ? s.values[i] : NaN;
        return (
          <span key={s.label} style={{ marginRight: '0.8rem', whiteSpace: 'nowrap' }}>
            <svg width={22} height={8} aria-hidden="true">
              <line x1={0} x2={22} y1={4} y2={4} stroke={s.color} strokeWidth={2} strokeDasharray={s.dashed ? '6 3' : undefined} />
            </svg>{' '}
            {s.label}
            {Number.isFinite(v) && `: ${Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toPrecision(4)}`}
          </span>
        );
      })}
    </span>
  );
}
