// The indicator table s(l, c) as a heatmap: one row per searchable layer, one column per
// candidate (identity first), colour by score within the table's range. Cells a layer does not
// offer (identity on reduction layers) stay blank.
import type { IndicatorView } from '../store/trainReducers.ts';

interface Props {
  table: IndicatorView;
  /** Every choice index of the space, in column order (-1 = identity first). */
  columns: number[];
  label: (choice: number) => string;
}

export function IndicatorHeatmap({ table, columns, label }: Props) {
  const offsets: number[] = [];
  let k = 0;
  for (const c of table.choices) {
    offsets.push(k);
    k += c.length;
  }
  const lo = Math.min(...table.scores);
  const hi = Math.max(...table.scores);
  const shade = (v: number): number => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  return (
    <figure className="chart">
      <div
        className="heatmap"
        role="table"
        data-testid="indicator-heatmap"
        data-layers={table.choices.length}
        data-columns={columns.length}
        data-step={table.step}
        style={{ gridTemplateColumns: `max-content repeat(${columns.length}, minmax(2.5rem, 1fr))` }}
      >
        <div role="row" className="heatmap-row">
          <div role="columnheader" />
          {columns.map((c) => (
            <div key={c} role="columnheader" className="heatmap-head">
              {label(c)}
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
              if (j < 0) return <div key={c} role="cell" className="heatmap-cell blank" data-testid="indicator-cell" />;
              const v = table.scores[offsets[layerIdx] + j];
              return (
                <div
                  key={c}
                  role="cell"
                  className="heatmap-cell"
                  data-testid="indicator-cell"
                  data-score={v}
                  title={`layer ${layerIdx}, ${label(c)}: ${v.toFixed(4)}`}
                  style={{ backgroundColor: `hsl(${220 - 180 * shade(v)} 70% ${70 - 25 * shade(v)}%)` }}
                />
              );
            })}
          </div>
        ))}
      </div>
      <figcaption className="note" data-testid="indicator-range">
        After {table.step} steps; colour from blue (lowest, {lo.toFixed(4)}) to orange (highest, {hi.toFixed(4)}); hatched:
        not offered (identity on reduction layers).
      </figcaption>
    </figure>
  );
}
