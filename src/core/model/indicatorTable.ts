// The indicator table's shapes, as plain data (no tensors), so search, the protocol, the UI and the
// CLI share one definition. Reading the table from a supernet, and which BN is a candidate's
// indicator, are in indicators.ts.

/** Indicator table s(l, c): mean |gamma| of each candidate's indicator BN, identity included. */
export interface IndicatorTable {
  layers: Array<{ layerIdx: number; normal: boolean; choices: number[]; scores: number[] }>;
}

/**
 * An indicator table as the `indicators` event and stored checkpoints carry it: the scores
 * flattened layer by layer in `choices` order.
 */
export interface IndicatorSnapshot {
  /** Steps taken when the table was read. */
  step: number;
  choices: number[][];
  scores: ArrayLike<number>;
}

/** `table` after `step` steps, flattened (the scores as one Float32Array). */
export function snapshotOf(table: IndicatorTable, step: number): IndicatorSnapshot & { scores: Float32Array } {
  return { step, choices: table.layers.map((l) => [...l.choices]), scores: Float32Array.from(table.layers.flatMap((l) => l.scores)) };
}
