// The indicator table s(l, c) as a heatmap: one row per searchable layer, one column per
// candidate (identity first), colour on a perceptual map (viridis) by the chosen scale (linear,
// log, rank within the layer: heatScale.ts), a colour bar with its values. Candidates no path has
// trained yet are grey and hatched; cells a layer does not offer (identity on reduction layers)
// stay empty. Each cell's tooltip gives its exact score and its rank in the layer.
import { useId, useMemo, useState } from 'react';
import type { IndicatorView } from '../store/trainReducers.ts';
import { formatSig } from '../format/numbers.ts';
import { viridis } from '../theme/palette.ts';
import './charts.css';
import { colourBarLabels, colourBarTicks, HEAT_SCALES, heatPositions, isUntrained, type HeatScale } from './heatScale.ts';

interface Props {
  table: IndicatorView;
  /** Every choice index of the space, in column order (-1 = identity first). */
  columns: number[];
  label: (choice: number) => string;
}

const SCALE_LABEL: Record<HeatScale, string> = { linear: 'linear', log: 'log', rank: 'rank in layer' };
const GRADIENT = `linear-gradient(to right, ${Array.from({ length: 11 }, (_, i) => `${viridis(i / 10)} ${i * 10}%`).join(', ')})`;

export function IndicatorHeatmap({ table, columns, label }: Props) {
  const [scale, setScale] = useState<HeatScale>('linear');
  const name = useId();
  const offsets = useMemo(() => {
    const out: number[] = [];
    let k = 0;
    for (const c of table.choices) {
      out.push(k);
      k += c.length;
    }
    return out;
  }, [table]);
  const pos = useMemo(() => heatPositions(table, scale), [table, scale]);
  const ranks = useMemo(() => heatPositions(table, 'rank'), [table]);
  const ticks = colourBarTicks(scale, pos.lo, pos.hi);
  const tickText = colourBarLabels(ticks.map((k) => k.value ?? 0));
  const rankText = (layer: number, j: number): string => {
    const n = table.choices[layer].filter((_, i) => !isUntrained(table.scores[offsets[layer] + i])).length;
    const t = ranks.t[offsets[layer] + j];
    return t === null || n < 2 ? '' : `, rank ${Math.round(n - t * (n - 1))} of ${n} in the layer`;
  };
  return (
    <figure className="chart heatmap-figure" data-chart="indicator-heatmap">
      <fieldset className="heat-scale" data-testid="heat-scale">
        <legend>Colour scale</legend>
        {HEAT_SCALES.map((s) => (
          <label key={s}>
            <input type="radio" name={name} value={s} checked={scale === s} onChange={() => setScale(s)} data-testid={`heat-scale-${s}`} />
            {SCALE_LABEL[s]}
          </label>
        ))}
      </fieldset>
      <div className="heatmap-frame">
        <div className="axis-title heat-y-title" data-axis="y">
          layer
        </div>
        <div>
          <div className="axis-title heat-x-title" data-axis="x">
            candidate (k: kernel size, e: expansion)
          </div>
          <div
            className="heatmap"
            role="table"
            aria-label="Indicator scores by layer and candidate"
            data-testid="indicator-heatmap"
            data-layers={table.choices.length}
            data-columns={columns.length}
            data-step={table.step}
            data-scale={scale}
            data-untrained={pos.untrained}
            style={{ gridTemplateColumns: `max-content repeat(${columns.length}, minmax(1.6rem, 1fr))` }}
          >
            <div role="row" className="heatmap-row">
              <div role="columnheader" />
              {columns.map((c) => (
                <div key={c} role="columnheader" className="heatmap-head heatmap-col" title={label(c)}>
                  <span>{label(c)}</span>
                </div>
              ))}
            </div>
            {table.choices.map((choices, layerIdx) => (
              <div key={layerIdx} role="row" className="heatmap-row">
                <div role="rowheader" className="heatmap-head">
                  L{layerIdx}
                </div>
                {columns.map((c) => {
                  const j = choices.indexOf(c);
                  if (j < 0) return <div key={c} role="cell" className="heatmap-cell blank" data-testid="indicator-cell" title={`layer ${layerIdx}: ${label(c)} not offered`} />;
                  const v = table.scores[offsets[layerIdx] + j];
                  const t = pos.t[offsets[layerIdx] + j];
                  if (t === null)
                    return (
                      <div
                        key={c}
                        role="cell"
                        className="heatmap-cell untrained"
                        data-testid="indicator-cell"
                        data-score={v}
                        data-untrained="true"
                        title={`layer ${layerIdx}, ${label(c)}: never trained (score ${formatSig(v, 6)}, gamma still at its initial 1)`}
                      />
                    );
                  return (
                    <div
                      key={c}
                      role="cell"
                      className="heatmap-cell"
                      data-testid="indicator-cell"
                      data-score={v}
                      data-t={t}
                      title={`layer ${layerIdx}, ${label(c)}: s = ${formatSig(v, 6)}${rankText(layerIdx, j)}`}
                      style={{ backgroundColor: viridis(t) }}
                    />
                  );
                })}
              </div>
            ))}
          </div>
        </div>
      </div>
      <div className="heat-legend" data-testid="heat-colourbar">
        <span className="heat-legend-title">s(l, c) = mean |γ|{scale === 'log' ? ', log scale' : scale === 'rank' ? ', rank within the layer' : ''}</span>
        <span className="heat-bar-wrap">
          <span className="heat-bar" style={{ background: GRADIENT }} />
          <span className="heat-bar-ticks">
            {ticks.map((k, i) => (
              <span key={k.t} style={{ left: `${100 * k.t}%` }} data-t={k.t}>
                {k.label ?? tickText[i]}
              </span>
            ))}
          </span>
        </span>
        <span className="heat-key">
          <span className="heatmap-cell untrained swatch" aria-hidden="true" /> never trained
        </span>
        <span className="heat-key">
          <span className="heatmap-cell blank swatch" aria-hidden="true" /> not offered
        </span>
      </div>
      <figcaption className="note" data-testid="indicator-range">
        After {table.step} steps. {pos.lo === null ? 'No candidate trained yet.' : `Trained scores from ${formatSig(pos.lo, 4)} to ${formatSig(pos.hi as number, 4)}.`}{' '}
        {pos.untrained > 0 && `${pos.untrained} candidates never trained (grey). `}Not offered: identity on reduction layers.
      </figcaption>
    </figure>
  );
}
