import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTOGRAM } from './bins.ts';
import { decodeWatchSeries, encodeWatchSeries } from './watchCodec.ts';
import { cutWatchSeries, moduleTrack, trackFractions, trackIndexAt, WatchBuffer, watchedModules, type WatchAnalysis, type WatchFrame } from './watchSeries.ts';

const ANALYSIS: WatchAnalysis = { hist: { ...DEFAULT_HISTOGRAM }, calibration: 'sequential', samplePath: [0, -1, 2], sampleIndex: 0 };
const BINS = 24;

/** A frame of two modules; module k of step s has meanSq s + k / 10 and all its 4 values in bin s + k. */
function frame(step: number, tile = 4): WatchFrame {
  const keys = [
    { layer: 1, choice: -1 },
    { layer: 1, choice: 0 },
  ];
  const histCounts = new Uint32Array(keys.length * BINS);
  keys.forEach((_, k) => (histCounts[k * BINS + ((step + k) % BINS)] = 3));
  return {
    step,
    analysis: ANALYSIS,
    modules: keys.map((key, k) => ({ ...key, tile, rows: 16, cols: 4 * tile, meanSq: step + k / 10, varSq: 0.5, min: 0.25, max: 2, count: 4, under: 1, over: 0 })),
    histCounts,
    ms: 5,
    share: 0.1,
  };
}

describe('WatchBuffer', () => {
  it('appends frames column-wise and cuts back to a checkpoint', () => {
    const b = WatchBuffer.empty(ANALYSIS);
    for (let s = 0; s < 100; s += 3) b.append(frame(s)); // grows past the initial capacity (64 entries)
    expect(b.entries).toBe(68);
    expect(b.steps.slice(0, 3)).toEqual([0, 3, 6]);
    const s = b.series();
    expect(s.modules).toEqual([
      { layer: 1, choice: -1, tile: 4, rows: 16, cols: 16 },
      { layer: 1, choice: 0, tile: 4, rows: 16, cols: 16 },
    ]);
    expect(Array.from(s.step.slice(0, 4))).toEqual([0, 0, 3, 3]);
    expect(Array.from(s.module.slice(0, 4))).toEqual([0, 1, 0, 1]);
    expect(s.meanSq[3]).toBeCloseTo(3.1, 6);
    // counts: [under, 24 bins, over]
    expect(Array.from(s.counts.slice(26, 52))).toEqual([1, 0, 3, ...new Array(22).fill(0), 0]);
    // a checkpoint at 10 steps taken keeps the frames of steps 0..9
    expect(Array.from(new Set(b.series(10).step))).toEqual([0, 3, 6, 9]);
    b.cutTo(10);
    expect(b.steps).toEqual([0, 3, 6, 9]);
    b.append(frame(10));
    expect(b.steps).toEqual([0, 3, 6, 9, 10]);
    expect(cutWatchSeries(b.series(), 4).step.length).toBe(4);
  });

  it('refuses frames out of order, of another analysis, or with counts that do not fit', () => {
    const b = WatchBuffer.empty(ANALYSIS);
    b.append(frame(5));
    expect(() => b.append(frame(4))).toThrow('step 4 comes before the last stored step 5');
    expect(() => b.append({ ...frame(6), analysis: { ...ANALYSIS, calibration: 'stored' } })).toThrow('computed differently');
    expect(() => b.append({ ...frame(6), histCounts: new Uint32Array(3) })).toThrow('3 counts for 2 modules of 24 bins');
    const big = frame(6);
    big.modules[1].count = 70_000;
    expect(() => b.append(big)).toThrow('70000 squared singular values');
    expect(b.entries).toBe(2); // nothing of the refused frames was kept
  });

  it('gives a module track with per-step fractions, and the frame for a hovered step', () => {
    const b = WatchBuffer.empty(ANALYSIS);
    b.append(frame(0, 2)); // another tile: left out of the track
    for (const s of [2, 5, 9]) b.append(frame(s));
    const series = b.series();
    expect(watchedModules(series)).toEqual([
      { layer: 1, choice: -1, entries: 4 },
      { layer: 1, choice: 0, entries: 4 },
    ]);
    const t = moduleTrack(series, 1, 0);
    if (t === null) throw new Error('no track');
    expect(t.tile).toBe(4);
    expect(Array.from(t.steps)).toEqual([2, 5, 9]);
    expect(Array.from(t.meanSq)).toEqual([2.1, 5.1, 9.1].map(Math.fround));
    expect(t.binsWithTails).toBe(26);
    const row = trackFractions(t, 1); // step 5, module 1: under 1 of 4, bin 6 holds 3 of 4
    expect(row[0]).toBeCloseTo(0.25, 7);
    expect(row[1 + 6]).toBeCloseTo(0.75, 7);
    expect(row.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6);
    expect([0, 2, 4, 5, 8, 9, 100].map((s) => trackIndexAt(t, s))).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect(trackIndexAt({ steps: new Uint32Array(0) }, 3)).toBe(-1);
    expect(moduleTrack(series, 2, 0)).toBeNull();
  });
});

describe('watch series bytes', () => {
  it('round-trip exactly (74 bytes per entry with 24 bins, plus the header)', () => {
    const b = WatchBuffer.empty(ANALYSIS);
    for (let s = 0; s < 40; s++) b.append(frame(s));
    const series = b.series();
    const bytes = encodeWatchSeries(series);
    const back = decodeWatchSeries(bytes, 'x.isonas-run');
    expect(back).toEqual(series);
    const headerLength = new DataView(bytes.buffer).getUint32(12, true);
    expect(bytes.length - ((20 + headerLength + 3) & ~3)).toBe(80 * 74);
  });

  it('refuses damaged bytes naming the source', () => {
    const b = WatchBuffer.empty(ANALYSIS);
    b.append(frame(1));
    b.append(frame(2));
    const bytes = encodeWatchSeries(b.series());
    expect(() => decodeWatchSeries(bytes.slice(0, bytes.length - 4), 'f.run')).toThrow(/^f\.run: watch series holds \d+ bytes/);
    const bad = bytes.slice();
    bad[0] = 0;
    expect(() => decodeWatchSeries(bad, 'f.run')).toThrow('f.run: watch series does not start with "ISONASWS"');
    const v = new DataView(bad.buffer);
    bad[0] = 'I'.charCodeAt(0);
    v.setUint32(8, 9, true);
    expect(() => decodeWatchSeries(bad, 'f.run')).toThrow('version 9 is not supported');
    // a module index past the table
    const wrong = bytes.slice();
    const headerLength = new DataView(wrong.buffer).getUint32(12, true);
    const moduleAt = ((20 + headerLength + 3) & ~3) + 20 * 4;
    new DataView(wrong.buffer).setUint16(moduleAt, 7, true);
    expect(() => decodeWatchSeries(wrong, 'f.run')).toThrow('entry 0 names module 7 of 2');
  });
});
