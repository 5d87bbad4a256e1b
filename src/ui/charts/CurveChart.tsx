// One training curve (loss or top-1 against steps taken), drawn with recharts. Fixed size, no
// animation. A redraw costs tens of milliseconds on a slow machine (recharts re-renders the chart
// from its internal store when `data` changes), so new points reach the chart deferred
// (useDeferredValue), at most every REDRAW_EVERY_MS (useThrottled) and, for a second chart fed by
// the same event, some frames late (useFrameDelayed): docs/benchmarks.md, "UI frame time".
import { memo, useDeferredValue } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { CurvePoint } from '../store/trainReducers.ts';
import { CHART_MARGIN, DOMAIN_AUTO, DOMAIN_DATA, DOMAIN_UNIT } from './chartProps.ts';
import { useFrameDelayed } from './useFrameDelayed.ts';
import { useThrottled } from './useThrottled.ts';

/** Least time between two redraws of a live curve. */
export const REDRAW_EVERY_MS = 250;

interface Props {
  testId: string;
  title: string;
  points: CurvePoint[];
  dataKey: 'loss' | 'acc';
  color: string;
  /** Extra data-* attributes on the wrapper (stable hooks for tests). */
  data?: Record<`data-${string}`, string>;
  /** Draw new points this many animation frames late (charts fed by one event redraw apart). */
  frameDelay?: number;
}

export function CurveChart({ testId, title, points, dataKey, color, data, frameDelay = 0 }: Props) {
  const shown = useFrameDelayed(useThrottled(useDeferredValue(points), REDRAW_EVERY_MS), frameDelay);
  return (
    <figure className="chart" data-testid={testId} data-points={shown.length} {...data}>
      <figcaption>{title}</figcaption>
      <Plot points={shown} dataKey={dataKey} color={color} />
    </figure>
  );
}

const Plot = memo(function Plot({ points, dataKey, color }: Pick<Props, 'points' | 'dataKey' | 'color'>) {
  return (
    <LineChart width={420} height={200} data={points} margin={CHART_MARGIN}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="step" type="number" domain={DOMAIN_DATA} allowDecimals={false} />
      <YAxis domain={dataKey === 'acc' ? DOMAIN_UNIT : DOMAIN_AUTO} width={48} />
      <Tooltip />
      <Line type="linear" dataKey={dataKey} stroke={color} dot={points.length < 30} isAnimationActive={false} />
    </LineChart>
  );
});
