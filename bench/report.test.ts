// The benchmark's aggregation and report logic on made-up numbers (no timing here).
import { describe, expect, it } from 'vitest';
import { resolveRecipe } from '../src/core/train/recipe.ts';
import { paramsFromQuery, paramsToQuery, type BenchParams } from './browser/protocol.ts';
import { DOC_ROWS_END, DOC_ROWS_START, DOC_TABLE_HEADER, docsRow, extrasFigures, makeReport, upsertDocsRow } from './report.ts';
import { headlineFigures, median, memoryFlat, programCacheSize, type MemoryPoint, type StepBenchResult } from './stepBench.ts';

const point = (afterRounds: number, numTensors: number, numBytes: number, programs: number | null = null): MemoryPoint => ({ afterRounds, numTensors, numBytes, programs });

function fakeResult(o: { after10?: MemoryPoint | null; afterN?: MemoryPoint; fair?: boolean } = {}): StepBenchResult {
  const v = (mode: 'bn' | 'all', sampler: 'uniform' | 'fair', steps: number[], m = 1) => ({ mode, sampler, pathsPerStep: m, buildMs: 5, firstStepMs: 900, stepMs: steps, medianStepMs: median(steps) });
  return {
    backend: 'fake',
    steps: 3,
    warmupRounds: 1,
    batchSize: 32,
    variants: {
      bnOnly: v('bn', 'uniform', [10, 30, 20]),
      allWeights: v('all', 'uniform', [40, 50, 60]),
      ...(o.fair === false ? {} : { fair: v('bn', 'fair', [150, 130, 140], 7) }),
    },
    warmUpMs: { bnOnly: 700, allWeights: 1100 },
    memory: { afterWarmUp: point(0, 80, 800, 12), afterFirst: point(1, 90, 900), after10: o.after10 === undefined ? point(10, 100, 1000, 12) : o.after10, afterN: o.afterN ?? point(500, 100, 1000, 12) },
  };
}

describe('median', () => {
  it('odd, even, unsorted; rejects an empty list', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('memoryFlat', () => {
  it('flat only when tensors, bytes and compiled programs are all unchanged from round 10 to N', () => {
    expect(memoryFlat(point(10, 5, 50, 3), point(500, 5, 50, 3))).toBe(true);
    expect(memoryFlat(point(10, 5, 50, 3), point(500, 6, 50, 3))).toBe(false);
    expect(memoryFlat(point(10, 5, 50, 3), point(500, 5, 54, 3))).toBe(false);
    expect(memoryFlat(point(10, 5, 50, 3), point(500, 5, 50, 4))).toBe(false);
    expect(memoryFlat(point(10, 5, 50, null), point(500, 5, 50, null))).toBe(true);
  });
  it('null without a round-10 point or when N is not after it', () => {
    expect(memoryFlat(null, point(3, 5, 50))).toBeNull();
    expect(memoryFlat(point(10, 5, 50), point(10, 5, 50))).toBeNull();
  });
});

describe('programCacheSize', () => {
  it('counts the WebGL binary cache or the WebGPU pipeline cache; null for backends without one', () => {
    expect(programCacheSize({ binaryCache: { a: 1, b: 2 } })).toBe(2);
    expect(programCacheSize({ pipelineCache: { a: 1 } })).toBe(1);
    expect(programCacheSize({})).toBeNull();
    expect(programCacheSize(null)).toBeNull();
  });
});

describe('headlineFigures', () => {
  it('medians, ratios, m x uniform, images/s and the memory points', () => {
    const f = headlineFigures(fakeResult());
    expect(f.bnOnlyMedianStepMs).toBe(20);
    expect(f.allWeightsMedianStepMs).toBe(50);
    expect(f.ratioBnOnlyToAll).toBeCloseTo(0.4, 12);
    expect(f.fairStepMedianMs).toBe(140);
    expect(f.mTimesUniformMs).toBe(140);
    expect(f.ratioFairToMUniform).toBeCloseTo(1, 12);
    expect(f.imagesPerSecond).toBeCloseTo(1600, 9);
    expect(f.firstStepMs).toBe(900);
    expect(f.warmUpMs).toBe(1800);
    expect(f.programsAfterWarmUp).toBe(12);
    expect(headlineFigures({ ...fakeResult(), warmUpMs: null, memory: { ...fakeResult().memory, afterWarmUp: null } })).toMatchObject({ warmUpMs: null, programsAfterWarmUp: null });
    expect([f.tensorsAfter10, f.tensorsAfterN, f.roundsTotal, f.memoryFlat]).toEqual([100, 100, 500, true]);
  });
  it('reports growth and the skipped fair variant', () => {
    const f = headlineFigures(fakeResult({ fair: false, afterN: point(500, 130, 1300, 12) }));
    expect(f.fairStepMedianMs).toBeNull();
    expect(f.ratioFairToMUniform).toBeNull();
    expect(f.memoryFlat).toBe(false);
  });
});

describe('extrasFigures', () => {
  it('takes the measured times and leaves failed or missing parts null', () => {
    const ok = extrasFigures({
      search: { ms: 12, searchOnlyMs: 10, populationSize: 50, generations: 20, evaluated: 1000, rule: 'dirf', maxMacs: 1 },
      isometry: { error: 'boom' },
      decode: { decoder: 'x', images: 10, ms: 100, imagesPerSecond: 100 },
    });
    expect(ok).toEqual({ searchMs: 12, isometryLayerMs: null, decodeImagesPerSecond: 100, watchShare: null });
    expect(extrasFigures(null)).toEqual({ searchMs: null, isometryLayerMs: null, decodeImagesPerSecond: null, watchShare: null });
    const watch = { steps: 30, watches: 2, modules: 21, analysisMs: [6000, 5000], targetShare: 0.1, tile: 4, maxDim: 256, totalMs: 100_000, watchMs: 11_000, share: 0.11, shareAfterFirst: 0.06 };
    expect(extrasFigures({ search: { error: 'x' }, isometry: { error: 'y' }, decode: null, watch }).watchShare).toBe(0.11);
  });
});

describe('docs table', () => {
  const machine = { cpu: 'CPU X', cores: 2, runtime: 'node v20', platform: 'linux x64' };
  const report = (backend: string, bn: number) => {
    const r = makeReport('tiny', resolveRecipe('tiny'), { ...fakeResult(), backend }, machine, new Date('2026-01-02T03:04:05Z'));
    return { ...r, bnOnlyMedianStepMs: bn };
  };
  const doc = `# t\n\n${DOC_ROWS_START}\n${DOC_TABLE_HEADER.join('\n')}\n${DOC_ROWS_END}\n\ntail\n`;

  it('appends a row per (machine, backend, config, levers) and replaces a rerun in place', () => {
    let d = upsertDocsRow(doc, docsRow(report('webgl', 20), 'first'));
    d = upsertDocsRow(d, docsRow(report('webgpu', 30), ''));
    d = upsertDocsRow(d, docsRow(report('webgl', 25), 'rerun'));
    const rows = d.split('\n').filter((l) => l.startsWith('| 2026'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('| webgl |');
    expect(rows[0]).toContain('| 25.0 |');
    expect(rows[0]).toContain('rerun');
    expect(rows[1]).toContain('| webgpu |');
    expect(d.endsWith('tail\n')).toBe(true);
    // every row has as many cells as the header
    const cells = (l: string) => l.split(/(?<!\\)\|/).length;
    expect(cells(rows[0])).toBe(cells(DOC_TABLE_HEADER[0]));
  });
  it('fails clearly without the markers', () => {
    expect(() => upsertDocsRow('# no table', docsRow(report('cpu', 1), ''))).toThrow(/bench:rows:start/);
  });
});

describe('bench page parameters', () => {
  it('round-trip through the query string and reject a bad backend', () => {
    const p: BenchParams = { config: 'small', backend: 'webgl', steps: 5, warmupRounds: 1, memorySteps: 500, skipFair: true, extras: false, maxStepMs: null, convGrad: 'native', warmUp: true, ab: false, fusedBn: 'on', census: false };
    expect(paramsFromQuery(`?${paramsToQuery(p)}`)).toEqual(p);
    const fused: BenchParams = { ...p, fusedBn: 'off', census: true, abLever: 'fusedBn' };
    expect(paramsFromQuery(`?${paramsToQuery(fused)}`)).toEqual(fused);
    expect(() => paramsFromQuery(paramsToQuery({ ...p, backend: 'wasm' as never }))).toThrow(/backend "wasm"/);
    expect(() => paramsFromQuery('backend=cpu')).toThrow(/query parameter "\w+" is missing/);
  });
});
