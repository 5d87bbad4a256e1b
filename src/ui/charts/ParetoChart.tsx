// The search's scatter: every scored candidate (reference MACs against fitness), the top subnets
// and the Pareto front of the result (fewest MACs, highest fitness; the front as a line), and the
// picked subnet. Hovering a top or front point shows its architecture strip with its figures;
// clicking a top point picks it (as its row in the table does). recharts, fixed size, no
// animation: points arrive with every (throttled) generation event.
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { SpaceDef } from '../../core/space/types.ts';
import type { ScoreRuleName, SearchCandidate } from '../../worker/protocol/index.ts';
import type { SearchPoint } from '../store/searchReducers.ts';
import { ArchMini } from '../shell/ArchMini.tsx';
import { formatCount, formatSig } from '../format/numbers.ts';
import { niceTicks, tickDecimals } from './axis.ts';
import { axisLabel, DOMAIN_AUTO, fixed1, TITLED_MARGIN } from './chartProps.ts';
import './charts.css';

/** How each rule defines fitness, for the y axis title. */
export const FITNESS_TITLE: Record<ScoreRuleName, string> = {
  dirf: 'fitness: Σ log(s / layer reference)',
  bnnas: 'fitness: Σ indicator scores s',
};

interface Props {
  points: SearchPoint[];
  front: SearchCandidate[];
  /** The result's top subnets (clickable); empty before a result. */
  top: SearchCandidate[];
  picked: SearchCandidate | null;
  rule: ScoreRuleName;
  space: SpaceDef | null;
  /** Pick the top subnet at this index; absent: points cannot be picked (stale result). */
  onPick?: (topIndex: number) => void;
}

interface Dot {
  macs: number;
  fitness: number;
  params?: number;
  arch?: number[];
  /** Index in the top list, -1: not in it. */
  top?: number;
  front?: boolean;
}

const X_LABEL = axisLabel('MACs at 224 px / 1000 classes (millions)', 'x');
const NO_TOP: SearchCandidate[] = [];

/** MACs in millions for the axis. */
const scaled = (p: SearchPoint): Dot => ({ macs: p.macs / 1e6, fitness: p.fitness });

function Card({ active, payload, space, pickable }: { active?: boolean; payload?: ReadonlyArray<{ payload?: Dot }>; space: SpaceDef | null; pickable: boolean }) {
  const d = active ? payload?.[0]?.payload : undefined;
  if (!d) return null;
  return (
    <div className="pareto-card" data-testid="pareto-card">
      <p>
        fitness <b>{formatSig(d.fitness, 5)}</b> · {formatSig(d.macs, 4)} M MACs{d.params !== undefined && ` · ${formatCount(d.params)} params`}
        {d.front && ' · on the Pareto front'}
      </p>
      {d.arch && space && <ArchMini space={space} arch={d.arch} />}
      {d.arch === undefined && <p className="note">a scored candidate (its architecture is kept only for the top and front)</p>}
      {d.arch && <p className="note">{d.top !== undefined && d.top >= 0 ? (pickable ? `#${d.top + 1} of the top list: click to pick` : `#${d.top + 1} of the top list`) : 'not in the top list'}</p>}
    </div>
  );
}

export const ParetoChart = memo(function ParetoChart({ points, front, top = NO_TOP, picked, rule, space, onPick }: Props) {
  const cloud = useMemo(() => points.map(scaled), [points]);
  const keyOf = (a: number[]) => a.join(',');
  const topDots = useMemo<Dot[]>(() => top.map((c, i) => ({ macs: c.macs / 1e6, fitness: c.fitness, params: c.params, arch: c.arch, top: i })), [top]);
  const line = useMemo<Dot[]>(() => {
    const at = new Map(top.map((c, i) => [keyOf(c.arch), i]));
    return front.map((c) => ({ macs: c.macs / 1e6, fitness: c.fitness, params: c.params, arch: c.arch, top: at.get(keyOf(c.arch)) ?? -1, front: true }));
  }, [front, top]);
  const pickedDot = useMemo<Dot[]>(() => (picked ? [{ macs: picked.macs / 1e6, fitness: picked.fitness, params: picked.params, arch: picked.arch, top: top.indexOf(picked) }] : []), [picked, top]);
  const yLabel = useMemo(() => axisLabel(FITNESS_TITLE[rule], 'y'), [rule]);
  // nice fitness ticks (recharts' own land on values like 0.000850)
  const y = useMemo(() => {
    const all = [...cloud, ...topDots, ...line].map((d) => d.fitness).filter(Number.isFinite);
    const t = all.length ? niceTicks(Math.min(...all), Math.max(...all), 5) : niceTicks(0, 1, 4);
    const digits = tickDecimals(t.ticks);
    return { domain: [t.lo, t.hi] as [number, number], ticks: t.ticks, format: (v: number) => (v === 0 ? '0' : v.toFixed(digits)) };
  }, [cloud, topDots, line]);
  const click = (d: unknown) => {
    const i = (d as { payload?: Dot } | undefined)?.payload?.top ?? -1;
    if (onPick && i >= 0) onPick(i);
  };
  const pickable = onPick !== undefined;
  return (
    <figure className="chart" data-chart="pareto-chart" data-testid="pareto-chart" data-points={points.length} data-front={front.length} data-top={top.length}>
      <figcaption>Scored candidates: MACs against fitness; hover a top or front point for its architecture, click a top point to pick it</figcaption>
      <ScatterChart width={600} height={320} margin={TITLED_MARGIN}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" dataKey="macs" name="MACs" unit=" M" domain={DOMAIN_AUTO} tickFormatter={fixed1} label={X_LABEL} fontSize={11} />
        <YAxis type="number" dataKey="fitness" name="fitness" domain={y.domain} ticks={y.ticks} width={66} tickFormatter={y.format} label={yLabel} fontSize={11} />
        <ZAxis range={[18, 18]} />
        <Tooltip cursor={{ strokeDasharray: '3 3' }} content={<Card space={space} pickable={pickable} />} />
        <Legend verticalAlign="top" height={26} />
        <Scatter name="scored" data={cloud} fill="#9e9e9e" isAnimationActive={false} />
        <Scatter name="top subnets" data={topDots} fill="var(--cat-1)" shape="circle" isAnimationActive={false} onClick={click} cursor={pickable ? 'pointer' : undefined} />
        <Scatter name="Pareto front" data={line} fill="var(--cat-4)" line isAnimationActive={false} onClick={click} />
        <Scatter name="picked" data={pickedDot} fill="var(--ink)" shape="diamond" isAnimationActive={false} />
      </ScatterChart>
    </figure>
  );
});
