// The search's scatter: every scored candidate (reference MACs against fitness), the Pareto front
// of them (fewest MACs, highest fitness) as a line, and the picked subnet. recharts, fixed size,
// no animation: points arrive with every (throttled) generation event.
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { SearchPoint } from '../store/searchReducers.ts';
import { CHART_MARGIN, DOMAIN_AUTO, fixed1, fixed2 } from './chartProps.ts';

interface Props {
  points: SearchPoint[];
  front: SearchPoint[];
  picked: SearchPoint | null;
}

/** MACs in millions for the axis. */
const scaled = (p: SearchPoint) => ({ macs: p.macs / 1e6, fitness: p.fitness });

export const ParetoChart = memo(function ParetoChart({ points, front, picked }: Props) {
  const cloud = useMemo(() => points.map(scaled), [points]);
  const line = useMemo(() => front.map(scaled), [front]);
  return (
    <figure className="chart" data-testid="pareto-chart" data-points={points.length} data-front={front.length}>
      <figcaption>Scored candidates: MACs at 224 px / 1000 classes (millions) against fitness; the Pareto front in red</figcaption>
      <ScatterChart width={600} height={300} margin={CHART_MARGIN}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" dataKey="macs" name="MACs" unit="M" domain={DOMAIN_AUTO} tickFormatter={fixed1} />
        <YAxis type="number" dataKey="fitness" name="fitness" domain={DOMAIN_AUTO} width={56} tickFormatter={fixed2} />
        <ZAxis range={[18, 18]} />
        <Tooltip cursor={{ strokeDasharray: '3 3' }} />
        <Legend />
        <Scatter name="scored" data={cloud} fill="#9e9e9e" isAnimationActive={false} />
        <Scatter name="Pareto front" data={line} fill="#d84315" line isAnimationActive={false} />
        <Scatter name="picked" data={picked ? [scaled(picked)] : []} fill="#1565c0" shape="diamond" isAnimationActive={false} />
      </ScatterChart>
    </figure>
  );
});
