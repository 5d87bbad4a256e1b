// Props shared by the recharts charts, as module constants. recharts 3 keeps each chart's axes,
// margin and data in an internal store and re-registers a prop (and recomputes the layout that
// depends on it) whenever the prop's identity changes; an object or array literal written in JSX is
// a new identity on every render, so these props are built once here (a search redraws the Pareto
// chart with every generation; docs/benchmarks.md, "UI frame time").
export const CHART_MARGIN = { top: 8, right: 16, bottom: 8, left: 0 } as const;
export const DOMAIN_DATA: ['dataMin', 'dataMax'] = ['dataMin', 'dataMax'];
export const DOMAIN_AUTO: ['auto', 'auto'] = ['auto', 'auto'];
export const DOMAIN_FROM_ZERO: [number, 'auto'] = [0, 'auto'];
export const fixed1 = (v: number): string => v.toFixed(1);
export const fixed2 = (v: number): string => v.toFixed(2);
/** Margin of a recharts chart with axis titles (room under the x axis and left of the y axis). */
export const TITLED_MARGIN = { top: 8, right: 16, bottom: 22, left: 14 } as const;
/** An axis title's props for recharts (`label`), tagged so tests can find it. */
export function axisLabel(value: string, axis: 'x' | 'y'): { value: string; position: 'insideBottom' | 'insideLeft'; offset: number; angle?: number; className: string; style?: Record<string, string> } {
  return axis === 'x'
    ? { value, position: 'insideBottom', offset: -14, className: `axis-title axis-title-${axis}` }
    : { value, position: 'insideLeft', offset: 0, angle: -90, className: `axis-title axis-title-${axis}`, style: { textAnchor: 'middle' } };
}
