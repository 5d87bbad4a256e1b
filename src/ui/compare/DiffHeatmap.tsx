// The difference of two runs' indicator tables (B - A) as a heatmap with a diverging scale
// (blue: lower in B, white: equal, red: higher in B; symmetric about 0), the layer's Kendall tau
// between the two runs' candidate rankings at the end of each row.
import type { IndicatorComparison } from '../../core/compare/compareRuns.ts';

interface Props {
  cmp: IndicatorComparison;
  columns: number[];
  label: (choice: number) => string;
}

export function diffColor(v: number, span: number): string {
  const t = span > 0 ? Math.max(-1, Math.min(1, v / span)) : 0;
  return t >= 0 ? `hsl(5 75% ${100 - 45 * t}%)` : `hsl(215 75% ${100 + 45 * t}%)`;
}

export function DiffHeatmap({ cmp, columns, label }: Props) {
  const offsets: number[] = [];
  let k = 0;
  for (const c of cmp.choices) {
    offsets.push(k);
    k += c.length;
  }
  let span = 0;
  for (const v of cmp.diff) span = Math.max(span, Math.abs(v));
  return (
    <figure className="chart" data-chart="diff-heatmap" style={{ overflowX: 'auto' }}>
      <div className="axis-title heat-x-title" data-axis="x">
        candidate (k: kernel size, e: expansion); last column: Kendall τ of the layer
      </div>
      <div className="heatmap-frame">
        <div className="axis-title heat-y-title" data-axis="y">
          layer
        </div>
        <div
          className="heatmap"
          role="table"
          data-testid="cmp-diff-heatmap"
          style={{ gridTemplateColumns: `max-content repeat(${columns.length}, minmax(2.5rem, 1fr)) max-content` }}
        >
          <div role="row" className="heatmap-row">
            <div role="columnheader" />
            {columns.map((c) => (
              <div key={c} role="columnheader" className="heatmap-head heatmap-col" title={label(c)}>
                {label(c)}
              </div>
            ))}
            <div role="columnheader" className="heatmap-head">
              τ
            </div>
          </div>
          {cmp.choices.map((choices, layer) => (
            <div key={layer} role="row" className="heatmap-row">
              <div role="rowheader" className="heatmap-head">
                L{layer}
              </div>
              {columns.map((c) => {
                const j = choices.indexOf(c);
                if (j < 0) return <div key={c} role="cell" className="heatmap-cell blank" />;
                const v = cmp.diff[offsets[layer] + j];
                return <div key={c} role="cell" className="heatmap-cell" data-diff={v} title={`layer ${layer}, ${label(c)}: B - A = ${v.toFixed(4)}`} style={{ backgroundColor: diffColor(v, span) }} />;
              })}
              <div role="cell" className="heatmap-head" data-testid="cmp-tau" data-tau={cmp.tauPerLayer[layer]}>
                {Number.isFinite(cmp.tauPerLayer[layer]) ? cmp.tauPerLayer[layer].toFixed(2) : '–'}
              </div>
            </div>
          ))}
        </div>
      </div>
      <figcaption className="note">
        B − A per candidate: blue lower in B, red higher, white equal (scale ±{span.toFixed(4)}); τ: Kendall tau-b between the two runs&apos;
        rankings of the layer&apos;s candidates (1: same order, −1: reversed). Mean τ {Number.isFinite(cmp.tau) ? cmp.tau.toFixed(3) : '–'} over{' '}
        {cmp.tauLayers} layers; same best candidate in {(100 * cmp.top1Agreement).toFixed(0)} % of layers.
      </figcaption>
    </figure>
  );
}
