import { describe, expect, it } from 'vitest';
import { createRng, deriveRng } from '../rng.ts';
import { DEFAULT_GAINS, INIT_NAMES, initWeight, weightCount, type WeightShape } from './index.ts';
import { heNormalStd } from './heNormal.ts';

const conv = (kernel: number, cin: number, cout: number): WeightShape => ({ kind: 'conv', kernel, cin, cout });
const dw = (kernel: number, channels: number): WeightShape => ({ kind: 'depthwise', kernel, cin: channels, cout: channels });
const linear = (cin: number, cout: number): WeightShape => ({ kind: 'linear', kernel: 1, cin, cout });

/** Max |G - gain^2 I| for the Gram matrix of a rows x cols row-major matrix, over its smaller side. */
function gramError(w: ArrayLike<number>, rows: number, cols: number, gain: number): number {
  const byCols = rows >= cols; // W^T W (cols x cols) else W W^T (rows x rows)
  const n = byCols ? cols : rows;
  const len = byCols ? rows : cols;
  const at = (a: number, t: number) => (byCols ? w[t * cols + a] : w[a * cols + t]);
  let err = 0;
  for (let a = 0; a < n; a++)
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let t = 0; t < len; t++) s += at(a, t) * at(b, t);
      err = Math.max(err, Math.abs(s - (a === b ? gain * gain : 0)));
    }
  return err;
}

function stats(w: ArrayLike<number>): { mean: number; std: number } {
  let m = 0;
  for (let i = 0; i < w.length; i++) m += w[i];
  m /= w.length;
  let v = 0;
  for (let i = 0; i < w.length; i++) v += (w[i] - m) ** 2;
  return { mean: m, std: Math.sqrt(v / w.length) };
}

describe('shapes', () => {
  it('weightCount follows the tfjs layouts', () => {
    expect(weightCount(conv(3, 4, 8))).toBe(3 * 3 * 4 * 8);
    expect(weightCount(dw(5, 16))).toBe(5 * 5 * 16);
    expect(weightCount(linear(10, 7))).toBe(70);
  });

  it('every initialiser returns weightCount entries', () => {
    for (const init of INIT_NAMES)
      for (const s of [conv(3, 4, 8), conv(1, 8, 24), dw(5, 6), linear(12, 5)]) {
        expect(initWeight(init, s, createRng(1), 1).length).toBe(weightCount(s));
      }
  });

  it('rejects bad shapes and gains with clear errors', () => {
    const rng = createRng(1);
    expect(() => initWeight('orthogonal', conv(0, 4, 8), rng, 1)).toThrow(/kernel must be a positive integer/);
    expect(() => initWeight('orthogonal', conv(3, 2.5, 8), rng, 1)).toThrow(/cin must be a positive integer/);
    expect(() => initWeight('orthogonal', conv(3, 4, -1), rng, 1)).toThrow(/cout must be a positive integer/);
    expect(() => initWeight('orthogonal', { kind: 'depthwise', kernel: 3, cin: 4, cout: 8 }, rng, 1)).toThrow(/cin == cout/);
    expect(() => initWeight('orthogonal', { kind: 'linear', kernel: 3, cin: 4, cout: 8 }, rng, 1)).toThrow(/kernel 1/);
    expect(() => initWeight('orthogonal', { kind: 'pool', kernel: 3, cin: 4, cout: 4 } as unknown as WeightShape, rng, 1)).toThrow(/kind/);
    expect(() => initWeight('orthogonal', conv(3, 4, 8), rng, 0)).toThrow(/gain/);
    expect(() => initWeight('orthogonal', conv(3, 4, 8), rng, NaN)).toThrow(/gain/);
    expect(() => initWeight('nope' as never, conv(3, 4, 8), rng, 1)).toThrow(/unknown initialiser/);
    expect(() => initWeight('delta-orthogonal', conv(2, 4, 8), rng, 1)).toThrow(/odd kernel/);
    expect(() => weightCount(dw(3, 0))).toThrow(/positive integer/);
  });
});

describe('orthogonal', () => {
  it.each([
    ['tall conv k3 4->8 (fan_in 36 > 8)', conv(3, 4, 8), 36, 8],
    ['wide conv k1 8->24', conv(1, 8, 24), 8, 24],
    ['square conv k1 16->16', conv(1, 16, 16), 16, 16],
    ['wide conv k3 2->40 (fan_in 18 < 40)', conv(3, 2, 40), 18, 40],
    ['tall linear 50->10', linear(50, 10), 50, 10],
    ['wide linear 10->50', linear(10, 50), 10, 50],
  ])('%s is semi-orthogonal with the gain', (_name, shape, rows, cols) => {
    for (const gain of [1, DEFAULT_GAINS.relu, 0.5]) {
      const w = initWeight('orthogonal', shape, createRng(3), gain);
      expect(gramError(w, rows, cols, gain)).toBeLessThan(1e-5);
    }
  });

  it('depthwise filters are unit directions times the gain, one per channel', () => {
    const k = 5;
    const channels = 12;
    const gain = DEFAULT_GAINS.relu;
    const w = initWeight('orthogonal', dw(k, channels), createRng(4), gain);
    const filters: number[][] = [];
    for (let c = 0; c < channels; c++) {
      const f: number[] = [];
      for (let t = 0; t < k * k; t++) f.push(w[t * channels + c]);
      filters.push(f);
      expect(Math.abs(Math.hypot(...f) - gain)).toBeLessThan(1e-5);
    }
    // channels are different random directions, not copies
    expect(new Set(filters.map((f) => f.join(','))).size).toBe(channels);
  });

  it('the same seed gives bit-identical weights, different derived streams differ', () => {
    for (const init of INIT_NAMES) {
      const s = conv(3, 4, 8);
      const a = initWeight(init, s, deriveRng(42, 'weights', 0, 1, 'pw1'), 1);
      const b = initWeight(init, s, deriveRng(42, 'weights', 0, 1, 'pw1'), 1);
      expect(Array.from(b)).toEqual(Array.from(a));
      const otherLayer = initWeight(init, s, deriveRng(42, 'weights', 1, 1, 'pw1'), 1);
      expect(Array.from(otherLayer)).not.toEqual(Array.from(a));
      const otherSeed = initWeight(init, s, deriveRng(43, 'weights', 0, 1, 'pw1'), 1);
      expect(Array.from(otherSeed)).not.toEqual(Array.from(a));
    }
  });

  it('is Haar: the sign fix removes the bias of Householder QR (fails without it)', () => {
    // Without sign(diag R), Householder's Q[0][0] = -|g00|/|g_col0| is always negative.
    // With it, Q[0][0] = g00/|g_col0|: symmetric, mean 0, E[x^2] = 1/n for an n x n Haar matrix.
    const n = 3;
    const draws = 4000;
    let sum = 0;
    let sumSq = 0;
    let positives = 0;
    const diagMeans = new Array<number>(n).fill(0);
    for (let d = 0; d < draws; d++) {
      const w = initWeight('orthogonal', linear(n, n), deriveRng(9, 'haar', d), 1);
      sum += w[0];
      sumSq += w[0] * w[0];
      if (w[0] > 0) positives++;
      for (let i = 0; i < n; i++) diagMeans[i] += w[i * n + i] / draws;
    }
    expect(Math.abs(sum / draws)).toBeLessThan(0.04); // sd of the mean ~ sqrt(1/3/4000) ~ 0.009
    expect(Math.abs(sumSq / draws - 1 / n)).toBeLessThan(0.03);
    expect(positives).toBeGreaterThan(draws * 0.45);
    expect(positives).toBeLessThan(draws * 0.55);
    for (const m of diagMeans) expect(Math.abs(m)).toBeLessThan(0.04);
  });

  it('tall and wide results use the same distribution (wide is a transpose, not a different recipe)', () => {
    // Entries of a Haar semi-orthogonal rows x cols matrix have variance 1/max(rows, cols).
    const tall = stats(initWeight('orthogonal', linear(400, 100), createRng(5), 1));
    const wide = stats(initWeight('orthogonal', linear(100, 400), createRng(5), 1));
    expect(Math.abs(tall.std ** 2 * 400 - 1)).toBeLessThan(0.02);
    expect(Math.abs(wide.std ** 2 * 400 - 1)).toBeLessThan(0.02);
  });
});

describe('he-normal', () => {
  it.each([
    ['conv k3 32->64', conv(3, 32, 64), Math.sqrt(2 / (9 * 64))],
    ['conv k1 64->256', conv(1, 64, 256), Math.sqrt(2 / 256)],
    ['depthwise k5 x 400 (PyTorch fan_out = channels*k*k)', dw(5, 400), Math.sqrt(2 / (25 * 400))],
    ['linear 320->400 (normal 0, 0.01)', linear(320, 400), 0.01],
  ])('%s has the formula std within 3%%', (_name, shape, expected) => {
    expect(heNormalStd(shape)).toBeCloseTo(expected, 12);
    const w = initWeight('he-normal', shape, createRng(6), 1);
    expect(w.length).toBeGreaterThan(9000);
    const { mean, std } = stats(w);
    expect(Math.abs(std / expected - 1)).toBeLessThan(0.03);
    expect(Math.abs(mean)).toBeLessThan(0.05 * expected);
  });

  it('ignores the gain', () => {
    const a = initWeight('he-normal', conv(3, 4, 8), createRng(7), 1);
    const b = initWeight('he-normal', conv(3, 4, 8), createRng(7), 5);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});

describe('delta-orthogonal', () => {
  it.each([
    ['k3 8->4 (tall centre)', conv(3, 8, 4)],
    ['k5 4->8 (wide centre)', conv(5, 4, 8)],
    ['k1 6->6', conv(1, 6, 6)],
  ])('%s: zero off-centre, orthogonal centre', (_name, shape) => {
    const { kernel: k, cin, cout } = shape;
    const gain = DEFAULT_GAINS.relu;
    const w = initWeight('delta-orthogonal', shape, createRng(8), gain);
    const c = (k - 1) / 2;
    const centreTap = c * k + c;
    for (let t = 0; t < k * k; t++) {
      const block = w.subarray(t * cin * cout, (t + 1) * cin * cout);
      if (t === centreTap) expect(gramError(block, cin, cout, gain)).toBeLessThan(1e-5);
      else expect(block.every((x) => x === 0)).toBe(true);
    }
  });

  it('depthwise: centre tap = gain, the rest zero, identical across kernel sizes at the centre', () => {
    const channels = 4;
    const gain = 1.5;
    for (const k of [3, 5, 7]) {
      const w = initWeight('delta-orthogonal', dw(k, channels), createRng(9), gain);
      const centreTap = ((k - 1) / 2) * (k + 1);
      for (let t = 0; t < k * k; t++)
        for (let ch = 0; ch < channels; ch++) expect(w[t * channels + ch]).toBe(t === centreTap ? Math.fround(gain) : 0);
    }
  });

  it('linear is the same as orthogonal', () => {
    const a = initWeight('delta-orthogonal', linear(12, 5), createRng(10), 2);
    const b = initWeight('orthogonal', linear(12, 5), createRng(10), 2);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
