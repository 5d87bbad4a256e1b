// Pure pieces of the Isometry panel's state (unit-tested without a worker): the layer list the
// user types, the worker's result turned into plain runs the charts read, how a new result merges
// with the runs already shown, and the rows of the spectrum and depth charts.

import type { InitName, IsometryModuleFigures, IsometryResultEvent, SpaceId } from '../../worker/protocol/index.ts';

export interface IsoModuleView extends IsometryModuleFigures {
  /** Histogram counts on the result's fixed edges. */
  counts: number[];
}

export interface IsoDepthPoint {
  /** Position along the sample path (0 = stem). */
  index: number;
  name: string;
  signalVar: number;
  gradNorm: number;
}

/** What the runs of one chart must share to be overlaid. */
export interface IsoSetup {
  space: SpaceId;
  resolution: number;
  widthMult: number;
  numClasses: number;
  seed: number;
  batchSize: number;
  calibration: string;
}

export interface IsoRunView {
  /** Identifies the run among those shown: init, and the training step when trained. */
  key: string;
  init: InitName;
  step: number;
  trained: boolean;
  samplePath: number[];
  modules: IsoModuleView[];
  depth: IsoDepthPoint[];
}

/** Parses "0, 3,7" or "" (every layer) into sorted distinct layer indices, or says what is wrong. */
export function parseLayers(text: string, numLayers: number | null): { layers: number[] } | { error: string } {
  const t = text.trim();
  if (t === '' || t === 'all') return { layers: [] };
  const parts = t.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) return { error: 'Layers must be a comma-separated list of layer indices (0, 1, ...), or empty for all' };
  const layers = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  if (numLayers !== null) {
    const bad = layers.filter((l) => l >= numLayers);
    if (bad.length > 0) return { error: `Layers must be from 0 to ${numLayers - 1} (this supernet has ${numLayers}); ${bad[0]} is not` };
  }
  return { layers };
}

export function runKey(init: InitName, trained: boolean, step: number): string {
  return trained ? `${init}, trained ${step} steps` : `${init}, at init`;
}

export function setupOf(ev: Pick<IsometryResultEvent, keyof IsoSetup>): IsoSetup {
  const { space, resolution, widthMult, numClasses, seed, batchSize, calibration } = ev;
  return { space, resolution, widthMult, numClasses, seed, batchSize, calibration };
}

/** The result's runs as plain data (histogram counts sliced per module). */
export function runsOfResult(ev: IsometryResultEvent): IsoRunView[] {
  const bins = ev.histEdges.length - 1;
  return ev.runs.map((r) => ({
    key: runKey(r.init, r.trained, r.step),
    init: r.init,
    step: r.step,
    trained: r.trained,
    samplePath: [...r.samplePath],
    modules: r.modules.map((m, k) => ({ ...m, counts: Array.from(r.histCounts.subarray(k * bins, (k + 1) * bins)) })),
    depth: r.depthNames.map((name, i) => ({ index: i, name, signalVar: r.depthSignalVar[i], gradNorm: r.depthGradNorm[i] })),
  }));
}

const sameSetup = (a: IsoSetup, b: IsoSetup) => (Object.keys(a) as Array<keyof IsoSetup>).every((k) => a[k] === b[k]);

const moduleOrder = (a: IsoModuleView, b: IsoModuleView) => a.layer - b.layer || a.choice - b.choice;

/**
 * Runs to show after a new result: runs of one setup overlay ("at init" and "trained" alike). A
 * run whose key is already shown is merged into it: its modules replace those of the same layer
 * and candidate, the others stay (the analysis is deterministic for a key, so a stopped or
 * narrower run adds to a wider one instead of erasing it), and its depth profile replaces the old
 * one unless it has none. A result of another setup replaces everything.
 */
export function mergeRuns(shown: IsoRunView[], shownSetup: IsoSetup | null, incoming: IsoRunView[], setup: IsoSetup): IsoRunView[] {
  if (shownSetup === null || !sameSetup(shownSetup, setup)) return incoming;
  const out = [...shown];
  for (const r of incoming) {
    const i = out.findIndex((o) => o.key === r.key);
    if (i < 0) {
      out.push(r);
      continue;
    }
    const old = out[i];
    const fresh = new Set(r.modules.map((m) => `${m.layer}:${m.choice}`));
    const modules = [...old.modules.filter((m) => !fresh.has(`${m.layer}:${m.choice}`)), ...r.modules].sort(moduleOrder);
    out[i] = { ...r, modules, depth: r.depth.length > 0 ? r.depth : old.depth };
  }
  return out;
}

/** One bar group of the spectrum chart: a bin and, per run key, the fraction of values in it. */
export type SpectrumRow = { bin: string; lo: number | null } & Record<string, number | string | null>;

function edgeLabel(v: number): string {
  const e = Math.log10(v);
  return Math.abs(e - Math.round(e)) < 1e-9 ? `1e${Math.round(e)}` : v.toPrecision(2);
}

/**
 * Rows of the spectrum histogram for one module: the fixed bins plus an "under" bin (values below
 * the first edge, zeros included) and an "over" bin; each run's fractions of its module's
 * squared singular values (runs without that module are left out).
 */
export function spectrumRows(runs: IsoRunView[], edges: number[], layer: number, choice: number): { rows: SpectrumRow[]; series: string[] } {
  const found = runs.flatMap((r) => {
    const m = r.modules.find((x) => x.layer === layer && x.choice === choice);
    return m ? [{ key: r.key, m }] : [];
  });
  const nBins = edges.length - 1;
  const rows: SpectrumRow[] = [];
  rows.push({ bin: `<${edgeLabel(edges[0])}`, lo: null });
  for (let i = 0; i < nBins; i++) rows.push({ bin: edgeLabel(edges[i]), lo: edges[i] });
  rows.push({ bin: `>=${edgeLabel(edges[nBins])}`, lo: edges[nBins] });
  for (const { key, m } of found) {
    const n = Math.max(m.count, 1);
    rows[0][key] = m.under / n;
    for (let i = 0; i < nBins; i++) rows[i + 1][key] = m.counts[i] / n;
    rows[nBins + 1][key] = m.over / n;
  }
  return { rows, series: found.map((f) => f.key) };
}

/** Rows of the depth chart: per path position, each run's signal variance and gradient norm. */
export function depthRows(runs: IsoRunView[]): Array<Record<string, number | string>> {
  const len = Math.max(0, ...runs.map((r) => r.depth.length));
  return Array.from({ length: len }, (_, i) => {
    const row: Record<string, number | string> = { index: i };
    for (const r of runs) {
      const d = r.depth[i];
      if (d === undefined) continue;
      row.name = d.name;
      row[`var:${r.key}`] = d.signalVar;
      row[`grad:${r.key}`] = d.gradNorm;
    }
    return row;
  });
}
