// Props shared by the recharts charts, as module constants. recharts 3 keeps each chart's axes,
// margin and data in an internal store and re-registers a prop (and recomputes the layout that
// depends on it) whenever the prop's identity changes; an object or array literal written in JSX is
// a new identity on every render. The live charts re-render with every streamed step, so those
// props are built once here (docs/benchmarks.md, "UI frame time").
export const CHART_MARGIN = { top: 8, right: 16, bottom: 8, left: 0 } as const;
export const DOMAIN_DATA: ['dataMin', 'dataMax'] = ['dataMin', 'dataMax'];
export const DOMAIN_AUTO: ['auto', 'auto'] = ['auto', 'auto'];
export const DOMAIN_UNIT: [number, number] = [0, 1];
export const DOMAIN_FROM_ZERO: [number, 'auto'] = [0, 'auto'];
export const fixed1 = (v: number): string => v.toFixed(1);
export const fixed2 = (v: number): string => v.toFixed(2);
