// Search and selection: scoring rules over the indicator table, evolutionary search under cost
// limits, the Pareto front, and export (versioned JSON, timm arch_def). See docs/search.md.
export * from './score.ts';
export * from './costTable.ts';
export * from './pareto.ts';
export * from './evolution.ts';
export * from './export.ts';
export * from './timm.ts';
export * from './accuracy.ts';
export * from './searchRun.ts';
export * from './rankcorr.ts';
export * from './stratified.ts';
export * from './rankcorrRun.ts';
