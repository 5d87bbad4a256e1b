// One training curve (loss or top-1 against steps taken) in a figure with the test hooks. The
// curve is plain SVG (LiveCurve.tsx); new points reach it deferred (useDeferredValue) and at most
// every REDRAW_EVERY_MS (useThrottled), however fast the steps come: docs/benchmarks.md, "UI frame
// time".
import { memo, useDeferredValue } from 'react';
import type { CurvePoint } from '../store/trainReducers.ts';
import { LiveCurve } from './LiveCurve.tsx';
import { useThrottled } from './useThrottled.ts';

/** Least time between two redraws of a live curve. */
export const REDRAW_EVERY_MS = 250;

interface Props {
  testId: string;
  title: string;
  /** The y axis title with its unit (top-1 is drawn in %). */
  yTitle: string;
  points: CurvePoint[];
  dataKey: 'loss' | 'acc';
  color: string;
  /** Extra data-* attributes on the wrapper (stable hooks for tests). */
  data?: Record<`data-${string}`, string>;
}

export function CurveChart({ testId, title, yTitle, points, dataKey, color, data }: Props) {
  const shown = useThrottled(useDeferredValue(points), REDRAW_EVERY_MS);
  return (
    <figure className="chart" data-chart={testId} data-testid={testId} data-points={shown.length} {...data}>
      <figcaption>{title}</figcaption>
      <Curve points={shown} dataKey={dataKey} color={color} label={title} yTitle={yTitle} />
    </figure>
  );
}

/** Redrawn only when the throttled points change (not on every render of the panel). */
const Curve = memo(LiveCurve);
