// A watched module's spectrum over steps as a heat strip: x = steps taken, y = the lab's fixed log
// bins of the squared singular values (under and over tails at the bottom and top), colour = the
// fraction of the module's squared singular values in the bin (0 to the strip's largest, the
// colour bar's scale). The dashed line marks sigma^2 = 1 (isometry). Cells drawn on a canvas (a
// long run is thinned to a fixed number of columns, stripShape.ts), axes and hover as SVG.
import { useEffect, useMemo, useRef, type MouseEvent } from 'react';
import type { HistogramSpec } from '../../../core/isometry/bins.ts';
import { trackIndexAt, type ModuleTrack } from '../../../core/isometry/watchSeries.ts';
import { linearScale, niceTicks } from '../axis.ts';
import { cssColor, decadeTicks, heatColor, rowOfValue, stripMatrix } from './stripShape.ts';

interface Props {
  track: ModuleTrack;
  hist: HistogramSpec;
  title: string;
  /** The hovered step (0-based step just taken), shared with the other charts; null: none. */
  hover: number | null;
  onHover: (step: number | null) => void;
  /** Small multiple: smaller, fewer labels, clickable. */
  small?: boolean;
  selected?: boolean;
  onSelect?: () => void;
  testId?: string;
  /** Top of the colour scale (default: the strip's largest fraction). */
  scaleMax?: number;
}

const BIG = { W: 520, H: 230, M: { top: 10, right: 10, bottom: 36, left: 62 }, cols: 200 };
const SMALL = { W: 240, H: 134, M: { top: 6, right: 6, bottom: 26, left: 46 }, cols: 80 };

export function HeatStrip({ track, hist, title, hover, onHover, small = false, selected = false, onSelect, testId, scaleMax }: Props) {
  const g = small ? SMALL : BIG;
  const { W, H, M } = g;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const m = useMemo(() => stripMatrix(track, g.cols), [track, g.cols]);
  const n = m.steps.length;
  // x = steps taken (1-based); the column of step s is centred on s + 1
  const x0 = n ? m.steps[0] + 0.5 : 0.5;
  const x1 = n ? m.steps[n - 1] + 1.5 : 1.5;
  const xt = niceTicks(x0, x1, small ? 3 : 6, true);
  const sx = linearScale(x0, x1, M.left, W - M.right);
  const sy = linearScale(0, m.rows, H - M.bottom, M.top);
  const top = scaleMax ?? m.max;
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const scale = 2;
    c.width = pw * scale;
    c.height = ph * scale;
    ctx.clearRect(0, 0, c.width, c.height);
    const cx = linearScale(x0, x1, 0, c.width);
    const rh = c.height / m.rows;
    for (let col = 0; col < n; col++) {
      const left = Math.floor(cx(m.steps[col] + 0.5));
      const right = Math.ceil(cx(col + 1 < n ? m.steps[col + 1] + 0.5 : x1));
      for (let r = 0; r < m.rows; r++) {
        ctx.fillStyle = cssColor(heatColor(top > 0 ? m.values[col * m.rows + r] / top : 0));
        ctx.fillRect(left, c.height - (r + 1) * rh, Math.max(1, right - left), Math.ceil(rh));
      }
    }
  }, [m, n, pw, ph, x0, x1, top]);
  const shown = hover === null || n === 0 ? null : track.steps[trackIndexAt(track, hover)];
  const onMove = (e: MouseEvent<SVGRectElement>) => {
    if (!n) return;
    const box = e.currentTarget.getBoundingClientRect();
    const x = x0 + ((e.clientX - box.left) / box.width) * (x1 - x0);
    onHover(track.steps[trackIndexAt(track, Math.floor(x + 0.5) - 1)]);
  };
  const isoY = sy(rowOfValue(1, hist));
  const decades = decadeTicks(hist).filter((d) => !small || d.exponent % 2 === 0);
  const fs = small ? 10 : 11;
  return (
    <figure
      className={`watch-strip${small ? ' small' : ''}${selected ? ' selected' : ''}`}
      data-chart="heat-strip"
      data-testid={testId ?? 'watch-strip'}
      data-layer={track.layer}
      data-choice={track.choice}
      data-frames={track.steps.length}
      data-last-step={n ? track.steps[track.steps.length - 1] : ''}
      style={{ maxWidth: W, margin: 0 }}
    >
      <div className="watch-plot" style={{ position: 'relative', width: '100%', aspectRatio: `${W} / ${H}` }}>
        <canvas
          ref={canvas}
          aria-hidden="true"
          style={{ position: 'absolute', left: `${(100 * M.left) / W}%`, top: `${(100 * M.top) / H}%`, width: `${(100 * pw) / W}%`, height: `${(100 * ph) / H}%`, imageRendering: 'pixelated' }}
        />
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} style={{ position: 'absolute', inset: 0, width: '100%', height: '100%' }}>
          {n === 0 && (
            <text x={M.left + pw / 2} y={M.top + ph / 2} textAnchor="middle" fontSize={fs} fill="var(--fg-muted, currentColor)">
              no frames yet
            </text>
          )}
          <rect x={M.left} y={M.top} width={pw} height={ph} fill="none" stroke="var(--border, #999)" />
          <line x1={M.left} x2={W - M.right} y1={isoY} y2={isoY} stroke="var(--watch-iso, #ff1744)" strokeWidth={1.5} strokeDasharray="5 3" data-testid="iso-line" />
          {!small && (
            <text x={W - M.right - 4} y={isoY - 4} textAnchor="end" fontSize={10} fill="var(--watch-iso, #ff1744)">
              σ² = 1
            </text>
          )}
          <g fontSize={fs} fill="var(--fg-muted, currentColor)">
            {xt.ticks
              .filter((t) => t >= x0 && t <= x1)
              .map((t) => (
                <text key={`x${t}`} x={sx(t)} y={H - M.bottom + fs + 3} textAnchor="middle">
                  {t}
                </text>
              ))}
            {decades.map((d) => (
              <text key={`y${d.exponent}`} x={M.left - 4} y={sy(d.row) + 3} textAnchor="end">
                1e{d.exponent}
              </text>
            ))}
            <text className="axis-title" data-axis="x" x={M.left + pw / 2} y={H - (small ? 1 : 4)} textAnchor="middle">
              {small ? 'step' : 'steps taken'}
            </text>
            <text className="axis-title" data-axis="y" transform={`translate(${small ? 9 : 12} ${M.top + ph / 2}) rotate(-90)`} textAnchor="middle">
              {small ? 'σ² (log)' : 'σ² of the Jacobian (log scale)'}
            </text>
          </g>
          {shown !== null && (
            <line x1={sx(shown + 1)} x2={sx(shown + 1)} y1={M.top} y2={H - M.bottom} stroke="var(--fg, #fff)" strokeWidth={1} data-testid="strip-hover" pointerEvents="none" />
          )}
          <rect
            x={M.left}
            y={M.top}
            width={pw}
            height={ph}
            fill="transparent"
            style={{ cursor: onSelect ? 'pointer' : 'crosshair' }}
            onMouseMove={onMove}
            onMouseLeave={() => onHover(null)}
            onClick={onSelect}
          />
        </svg>
      </div>
      <figcaption className="note">{title}</figcaption>
    </figure>
  );
}

/** The strips' colour scale: fraction of the module's squared singular values in a bin, 0 to `max`. */
export function ColorBar({ max }: { max: number }) {
  const stops = Array.from({ length: 11 }, (_, i) => `${cssColor(heatColor(i / 10))} ${i * 10}%`).join(', ');
  return (
    <div className="watch-colorbar" data-testid="watch-colorbar" data-max={max}>
      <span>0</span>
      <span className="bar" style={{ background: `linear-gradient(to right, ${stops})`, display: 'inline-block', width: '10rem', height: '0.7rem', margin: '0 0.4rem' }} />
      <span>{max > 0 ? max.toFixed(2) : '–'}</span>
      <span className="note"> fraction of the module&apos;s σ² in the bin (of the selected strip)</span>
    </div>
  );
}
