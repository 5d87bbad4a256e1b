import { describe, expect, it } from 'vitest';
import type { IsometryResultEvent } from '../../worker/protocol/index.ts';
import { createStore } from './index.ts';
import { depthRows, mergeRuns, parseLayers, runsOfResult, setupOf, spectrumRows } from './isometryReducers.ts';

const EDGES = [1e-2, 1e-1, 1, 10];

function result(over: Partial<IsometryResultEvent> = {}): IsometryResultEvent {
  const mod = (choice: number, under: number, over: number) => ({ layer: 3, choice, meanSq: 1, varSq: 0.5, min: 0.1, max: 3, count: 6, tile: 2, rows: 8, cols: 6, under, over, ms: 1 });
  return {
    type: 'isometryResult',
    id: 1,
    backend: 'cpu',
    stopped: false,
    space: 'bnnas-mbv2',
    resolution: 16,
    widthMult: 0.25,
    numClasses: 4,
    seed: 0,
    batchSize: 4,
    calibration: 'sequential',
    histEdges: Float64Array.from(EDGES),
    runs: [
      {
        init: 'orthogonal',
        step: 0,
        trained: false,
        samplePath: [0, 1],
        modules: [mod(-1, 0, 0), mod(0, 1, 1)],
        histCounts: Uint32Array.of(0, 6, 0, 1, 2, 1),
        depthNames: ['stem', 'head'],
        depthSignalVar: Float64Array.of(1, 2),
        depthGradNorm: Float64Array.of(30, 3),
      },
      {
        init: 'he-normal',
        step: 0,
        trained: false,
        samplePath: [0, 1],
        modules: [mod(0, 0, 0)],
        histCounts: Uint32Array.of(3, 3, 0),
        depthNames: [],
        depthSignalVar: new Float64Array(0),
        depthGradNorm: new Float64Array(0),
      },
    ],
    ...over,
  };
}

describe('isometry reducers', () => {
  it('parse layer lists and say what is wrong', () => {
    expect(parseLayers(' 7, 0,7 ', null)).toEqual({ layers: [0, 7] });
    expect(parseLayers('', 21)).toEqual({ layers: [] });
    expect(parseLayers('1,x', 21)).toMatchObject({ error: expect.stringContaining('comma-separated') });
    expect(parseLayers('-1', 21)).toMatchObject({ error: expect.stringContaining('comma-separated') });
    expect(parseLayers('3,21', 21)).toEqual({ error: 'Layers must be from 0 to 20 (this supernet has 21); 21 is not' });
  });

  it('turn a result into runs with per-module histograms and depth points', () => {
    const runs = runsOfResult(result());
    expect(runs.map((r) => r.key)).toEqual(['orthogonal, at init', 'he-normal, at init']);
    expect(runs[0].modules.map((m) => m.counts)).toEqual([[0, 6, 0], [1, 2, 1]]);
    expect(runs[1].modules[0].counts).toEqual([3, 3, 0]);
    expect(runs[0].depth).toEqual([{ index: 0, name: 'stem', signalVar: 1, gradNorm: 30 }, { index: 1, name: 'head', signalVar: 2, gradNorm: 3 }]);
    expect(depthRows(runs)).toEqual([{ index: 0, name: 'stem', 'var:orthogonal, at init': 1, 'grad:orthogonal, at init': 30 }, { index: 1, name: 'head', 'var:orthogonal, at init': 2, 'grad:orthogonal, at init': 3 }]);
  });

  it('overlay runs of one setup (same key merged) and start over for another setup', () => {
    const ev = result();
    const setup = setupOf(ev);
    const first = runsOfResult(ev);
    const trainedEv = result({ runs: [{ ...ev.runs[0], trained: true, step: 40 }] });
    const both = mergeRuns(first, setup, runsOfResult(trainedEv), setupOf(trainedEv));
    expect(both.map((r) => r.key)).toEqual(['orthogonal, at init', 'he-normal, at init', 'orthogonal, trained 40 steps']);
    // A stopped rerun of orthogonal (one module, meanSq 5, no depth) merges into the shown run.
    const partial = { ...ev.runs[0], modules: [{ ...ev.runs[0].modules[1], meanSq: 5 }], histCounts: Uint32Array.of(1, 1, 1), depthNames: [], depthSignalVar: new Float64Array(0), depthGradNorm: new Float64Array(0) };
    const merged = mergeRuns(both, setup, runsOfResult(result({ runs: [partial] })), setup);
    expect(merged.map((r) => r.key)).toEqual(['orthogonal, at init', 'he-normal, at init', 'orthogonal, trained 40 steps']);
    expect(merged[0].modules.map((m) => [m.choice, m.meanSq])).toEqual([[-1, 1], [0, 5]]);
    expect(merged[0].modules[1].counts).toEqual([1, 1, 1]);
    expect(merged[0].depth).toHaveLength(2);
    // A fresh he-normal run (it has no identity module) replaces the old one's module and depth.
    const heAgain = mergeRuns(both, setup, runsOfResult(result({ runs: [{ ...ev.runs[1], depthNames: ['stem'], depthSignalVar: Float64Array.of(9), depthGradNorm: Float64Array.of(9) }] })), setup);
    expect(heAgain[1].depth).toEqual([{ index: 0, name: 'stem', signalVar: 9, gradNorm: 9 }]);
    const other = result({ resolution: 32 });
    expect(mergeRuns(both, setup, runsOfResult(other), setupOf(other)).map((r) => r.key)).toEqual(['orthogonal, at init', 'he-normal, at init']);
  });

  it('give spectrum rows as fractions per bin, under and over bins included, for the runs that have the module', () => {
    const runs = runsOfResult(result());
    const { rows, series } = spectrumRows(runs, EDGES, 3, 0);
    expect(series).toEqual(['orthogonal, at init', 'he-normal, at init']);
    expect(rows.map((r) => r.bin)).toEqual(['<1e-2', '1e-2', '1e-1', '1e0', '>=1e1']);
    expect(rows.map((r) => r['orthogonal, at init'])).toEqual([1 / 6, 1 / 6, 2 / 6, 1 / 6, 1 / 6]);
    expect(rows.map((r) => r['he-normal, at init'])).toEqual([0, 0.5, 0.5, 0, 0]);
    expect(spectrumRows(runs, EDGES, 3, -1).series).toEqual(['orthogonal, at init']);
  });
});

describe('isometry slice', () => {
  it('keeps inits in a fixed order and reports a run without an engine to the one error handler', async () => {
    const store = createStore();
    const s = store.getState();
    expect(s.isoInits).toEqual(['orthogonal', 'he-normal']);
    s.toggleIsoInit('orthogonal');
    s.toggleIsoInit('delta-orthogonal');
    s.toggleIsoInit('orthogonal');
    expect(store.getState().isoInits).toEqual(['orthogonal', 'he-normal', 'delta-orthogonal']);
    await s.runIsometry();
    expect(store.getState().panelErrors).toEqual({ isometry: 'the engine is not ready (starting)' });
    expect(store.getState().errors).toEqual([]);
    expect(store.getState()).toMatchObject({ isoRunning: false, isoStopping: false, isoRuns: [] });
  });
});
