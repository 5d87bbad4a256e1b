// The histogram of one step (the hovered one, else the last): fraction of the module's squared
// singular values per fixed log bin, tails included, one bar group per run (one or two), with the
// isometry line at sigma^2 = 1.
import { histogramEdges, type HistogramSpec } from '../../../core/isometry/bins.ts';
import { linearScale, niceTicks, tickDecimals } from '../axis.ts';
import { rowLabel, rowOfValue } from './stripShape.ts';

export interface StepBars {
  label: string;
  /** [under, bins..., over], summing to 1. */
  fractions: ArrayLike<number>;
  color: string;
}

interface Props {
  bars: StepBars[];
  hist: HistogramSpec;
  title: string;
  testId?: string;
}

const W = 520;
const H = 170;
const M = { top: 10, right: 12, bottom: 36, left: 62 };

export function StepHistogram({ bars, hist, title, testId }: Props) {
  const rows = histogramEdges(hist).length + 1;
  const maxF = Math.max(0.05, ...bars.flatMap((b) => Array.from(b.fractions)));
  const yt = niceTicks(0, maxF, 4);
  const sx = linearScale(0, rows, M.left, W - M.right);
  const sy = linearScale(0, yt.hi, H - M.bottom, M.top);
  const bw = (sx(1) - sx(0)) / Math.max(1, bars.length);
  const decades = Array.from({ length: Math.round(Math.log10(hist.hi / hist.lo)) + 1 }, (_, i) => Math.round(Math.log10(hist.lo)) + i);
  return (
    <figure className="watch-hist" data-chart="step-histogram" data-testid={testId ?? 'watch-step-hist'} style={{ maxWidth: W, margin: 0 }}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} style={{ width: '100%', height: 'auto' }}>
        <g stroke="var(--grid, #888)" strokeOpacity={0.5} strokeDasharray="3 3">
          {yt.ticks.map((t) => (
            <line key={t} x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} />
          ))}
        </g>
        {bars.map((b, k) =>
          Array.from(b.fractions, (f, r) => (
            <rect key={`${k}-${r}`} x={sx(r) + k * bw + 0.5} y={sy(f)} width={Math.max(0.5, bw - 1)} height={Math.max(0, sy(0) - sy(f))} fill={b.color} opacity={0.85}>
              <title>{`${b.label}, ${rowLabel(r, hist)}: ${(100 * f).toFixed(1)} %`}</title>
            </rect>
          )),
        )}
        <line x1={sx(rowOfValue(1, hist))} x2={sx(rowOfValue(1, hist))} y1={M.top} y2={H - M.bottom} stroke="var(--watch-iso, #ff1744)" strokeDasharray="5 3" />
        <g fontSize={11} fill="var(--fg-muted, currentColor)">
          {decades.map((e) => (
            <text key={e} x={sx(rowOfValue(10 ** e, hist))} y={H - M.bottom + 14} textAnchor="middle">
              1e{e}
            </text>
          ))}
          {yt.ticks.map((t) => (
            <text key={t} x={M.left - 5} y={sy(t) + 4} textAnchor="end">
              {t.toFixed(tickDecimals(yt.ticks))}
            </text>
          ))}
          <text className="axis-title" data-axis="x" x={M.left + (W - M.left - M.right) / 2} y={H - 4} textAnchor="middle">
            σ² (log bins; outer bars: below 1e{Math.round(Math.log10(hist.lo))} / above 1e{Math.round(Math.log10(hist.hi))})
          </text>
          <text className="axis-title" data-axis="y" transform={`translate(12 ${M.top + (H - M.top - M.bottom) / 2}) rotate(-90)`} textAnchor="middle">
            fraction
          </text>
        </g>
      </svg>
      <figcaption className="note">
        {bars.length > 1 &&
          bars.map((b) => (
            <span key={b.label} style={{ marginRight: '0.8rem' }}>
              <span style={{ display: 'inline-block', width: 10, height: 10, background: b.color, marginRight: 4 }} />
              {b.label}
            </span>
          ))}
        {title}
      </figcaption>
    </figure>
  );
}
