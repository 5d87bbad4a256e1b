import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SYNTHETIC,
  plantedLagPx,
  syntheticBatch,
  syntheticBatchIndices,
  syntheticClass,
  syntheticSample,
  type Batch,
  type SyntheticConfig,
} from './synthetic';

function config(over: Partial<SyntheticConfig> = {}): SyntheticConfig {
  return { ...DEFAULT_SYNTHETIC, seed: 1, numClasses: 10, resolution: 16, ...over };
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

function image(b: Batch, n: number): Float32Array {
  const len = b.resolution * b.resolution * 3;
  return b.images.subarray(n * len, (n + 1) * len);
}

/** Per-channel mean of one HWC image. */
function channelMeans(img: Float32Array): number[] {
  const m = [0, 0, 0];
  const pixels = img.length / 3;
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) m[c] += img[3 * p + c];
  return m.map((s) => s / pixels);
}

// ---- Independent reference classifiers (no network) --------------------------------------------

/** The (kx, ky) DFT basis used by fourierFeatures: kx in 0..4, ky in -4..4 (half plane, no DC). */
function dftBasis(R: number): Array<{ cos: Float64Array; sin: Float64Array }> {
  const basis: Array<{ cos: Float64Array; sin: Float64Array }> = [];
  for (let kx = 0; kx <= 4; kx++) {
    for (let ky = -4; ky <= 4; ky++) {
      if (kx === 0 && ky <= 0) continue;
      const cos = new Float64Array(R * R);
      const sin = new Float64Array(R * R);
      for (let y = 0; y < R; y++) {
        for (let x = 0; x < R; x++) {
          const a = (2 * Math.PI * (kx * x + ky * y)) / R;
          cos[y * R + x] = Math.cos(a);
          sin[y * R + x] = Math.sin(a);
        }
      }
      basis.push({ cos, sin });
    }
  }
  return basis;
}

/** Per-channel DFT magnitudes |X(kx, ky)| / R^2 over `basis` (translation invariant). */
function fourierFeatures(img: Float32Array, R: number, basis: Array<{ cos: Float64Array; sin: Float64Array }>): number[] {
  const f: number[] = [];
  for (const { cos, sin } of basis) {
    for (let c = 0; c < 3; c++) {
      let re = 0;
      let im = 0;
      for (let p = 0; p < R * R; p++) {
        re += img[3 * p + c] * cos[p];
        im -= img[3 * p + c] * sin[p];
      }
      f.push(Math.hypot(re, im) / (R * R));
    }
  }
  return f;
}

/** Nearest class mean on features standardised with the training set's mean and std. */
function nearestClassMeanAccuracy(trX: number[][], trY: Int32Array, vaX: number[][], vaY: Int32Array, K: number): number {
  const d = trX[0].length;
  const mu = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const x of trX) for (let i = 0; i < d; i++) mu[i] += x[i] / trX.length;
  for (const x of trX) for (let i = 0; i < d; i++) sd[i] += (x[i] - mu[i]) ** 2 / trX.length;
  const z = (x: number[]): number[] => x.map((v, i) => (v - mu[i]) / Math.sqrt(sd[i] + 1e-12));
  const centroid = Array.from({ length: K }, () => new Array<number>(d).fill(0));
  const count = new Array<number>(K).fill(0);
  trX.forEach((x, n) => {
    const zx = z(x);
    count[trY[n]]++;
    for (let i = 0; i < d; i++) centroid[trY[n]][i] += zx[i];
  });
  centroid.forEach((m, k) => m.forEach((_, i) => (m[i] /= count[k])));
  let correct = 0;
  vaX.forEach((x, n) => {
    const zx = z(x);
    let best = -1;
    let bestDist = Infinity;
    centroid.forEach((m, k) => {
      let dist = 0;
      for (let i = 0; i < d; i++) dist += (zx[i] - m[i]) ** 2;
      if (dist < bestDist) {
        bestDist = dist;
        best = k;
      }
    });
    if (best === vaY[n]) correct++;
  });
  return correct / vaX.length;
}

describe('synthetic dataset', () => {
  it('is deterministic: same config -> bit-identical batch; seed and batch index change it', () => {
    const cfg = config({ resolution: 12 });
    const a = syntheticBatch(cfg, 'train', 3, 8);
    const b = syntheticBatch(cfg, 'train', 3, 8);
    expect(bits(a.images)).toEqual(bits(b.images));
    expect(a.labels).toEqual(b.labels);
    const other = syntheticBatch(config({ resolution: 12, seed: 2 }), 'train', 3, 8);
    expect(bits(other.images)).not.toEqual(bits(a.images));
    const next = syntheticBatch(cfg, 'train', 4, 8);
    expect(bits(next.images)).not.toEqual(bits(a.images));
    // Train and val are different streams.
    expect(bits(syntheticSample(cfg, 'train', 0).image)).not.toEqual(bits(syntheticSample(cfg, 'val', 0).image));
  });

  it('a batch is its samples: syntheticSample matches the batch slice, and writes into `out`', () => {
    const cfg = config({ resolution: 10 });
    for (const split of ['train', 'val'] as const) {
      const batch = syntheticBatch(cfg, split, 2, 5);
      const idx = syntheticBatchIndices(cfg, split, 2, 5);
      idx.forEach((i, n) => {
        const s = syntheticSample(cfg, split, i);
        expect(s.label).toBe(batch.labels[n]);
        expect(bits(s.image)).toEqual(bits(image(batch, n)));
      });
    }
    const out = new Float32Array(10 * 10 * 3);
    const s = syntheticSample(cfg, 'val', 7, out);
    expect(s.image).toBe(out);
    expect(() => syntheticSample(cfg, 'val', 7, new Float32Array(5))).toThrow(RangeError);
  });

  it('has the documented shapes, label range and batch index rules', () => {
    const cfg = config({ resolution: 9, numClasses: 7, trainSize: 100, valSize: 30 });
    const b = syntheticBatch(cfg, 'train', 0, 16);
    expect(b.size).toBe(16);
    expect(b.resolution).toBe(9);
    expect(b.images.length).toBe(16 * 9 * 9 * 3);
    expect(b.labels.length).toBe(16);
    expect(b.images.every(Number.isFinite)).toBe(true);
    for (const l of b.labels) expect(l >= 0 && l < 7).toBe(true);
    // train: distinct in-range indices (with replacement only when the batch exceeds the split).
    const tr = syntheticBatchIndices(cfg, 'train', 5, 100);
    expect(new Set(tr).size).toBe(100);
    expect(tr.every((i) => i >= 0 && i < 100)).toBe(true);
    expect(syntheticBatchIndices(cfg, 'train', 5, 150).every((i) => i >= 0 && i < 100)).toBe(true);
    // val: consecutive, wrapping modulo valSize.
    expect(syntheticBatchIndices(cfg, 'val', 0, 4)).toEqual([0, 1, 2, 3]);
    expect(syntheticBatchIndices(cfg, 'val', 7, 4)).toEqual([28, 29, 0, 1]);
    // Labels are balanced: class of sample i is i mod numClasses.
    const val = syntheticBatch(config({ valSize: 2000 }), 'val', 0, 2000);
    const counts = new Array<number>(10).fill(0);
    for (const l of val.labels) counts[l]++;
    expect(counts).toEqual(new Array<number>(10).fill(200));
    // Random train batches are roughly balanced too.
    const trCounts = new Array<number>(10).fill(0);
    for (let t = 0; t < 40; t++) for (const i of syntheticBatchIndices(config(), 'train', t, 50)) trCounts[i % 10]++;
    for (const c of trCounts) expect(c).toBeGreaterThan(140); // expected 200 of 2000
  });

  it('refuses invalid configs and indices', () => {
    expect(() => syntheticSample(config({ numClasses: 1 }), 'val', 0)).toThrow(/numClasses/);
    expect(() => syntheticSample(config({ resolution: 0 }), 'val', 0)).toThrow(/resolution/);
    expect(() => syntheticSample(config({ noise: -1 }), 'val', 0)).toThrow(/noise/);
    expect(() => syntheticSample(config({ valSize: 10 }), 'val', 10)).toThrow(/index/);
    expect(() => syntheticBatch(config(), 'train', -1, 4)).toThrow(/batchIndex/);
    expect(() => syntheticBatch(config(), 'train', 0, 0)).toThrow(/batchSize/);
  });

  it('is resolution independent: the same sample at 16 and 64 px has the same colour and content', () => {
    const base = config({ seed: 7 });
    let maxMeanDiff = 0;
    let minCorr = 1;
    for (let i = 0; i < 40; i++) {
      const lo = syntheticSample({ ...base, resolution: 16 }, 'val', i);
      const hi = syntheticSample({ ...base, resolution: 64 }, 'val', i);
      expect(hi.label).toBe(lo.label);
      const mLo = channelMeans(lo.image);
      const mHi = channelMeans(hi.image);
      for (let c = 0; c < 3; c++) maxMeanDiff = Math.max(maxMeanDiff, Math.abs(mLo[c] - mHi[c]));
      // Without noise, the 64 px image 4x4-average-pooled is the 16 px image up to the box blur.
      const lo0 = syntheticSample({ ...base, noise: 0, resolution: 16 }, 'val', i).image;
      const hi0 = syntheticSample({ ...base, noise: 0, resolution: 64 }, 'val', i).image;
      const pooled = new Float64Array(16 * 16 * 3);
      for (let y = 0; y < 64; y++) {
        for (let x = 0; x < 64; x++) {
          for (let c = 0; c < 3; c++) pooled[3 * ((y >> 2) * 16 + (x >> 2)) + c] += hi0[3 * (y * 64 + x) + c] / 16;
        }
      }
      minCorr = Math.min(minCorr, correlation(lo0, pooled));
    }
    // Measured (seed 7, 100 samples): max per-image channel-mean difference 0.092, min corr 0.998.
    expect(maxMeanDiff).toBeLessThan(0.2);
    expect(minCorr).toBeGreaterThan(0.98);
    // Per class: the average image colour is the class colour at both resolutions.
    for (const res of [16, 64]) {
      const cfg = { ...base, resolution: res };
      for (const cls of [0, 3]) {
        const m = [0, 0, 0];
        const n = 40;
        for (let k = 0; k < n; k++) {
          const cm = channelMeans(syntheticSample(cfg, 'val', cls + 10 * k).image);
          for (let c = 0; c < 3; c++) m[c] += cm[c] / n;
        }
        const colour = syntheticClass(7, cls).colour;
        // Per-image colour cast std 0.3 / sqrt(40) = 0.047; 0.2 is > 4 sigma.
        for (let c = 0; c < 3; c++) expect(Math.abs(m[c] - colour[c])).toBeLessThan(0.2);
      }
    }
  });

  it('has roughly ImageNet-normalised per-channel statistics', () => {
    for (const seed of [1, 2]) {
      const b = syntheticBatch(config({ seed }), 'val', 0, 1000);
      const n = b.images.length / 3;
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let s2 = 0;
        for (let p = 0; p < n; p++) {
          s += b.images[3 * p + c];
          s2 += b.images[3 * p + c] ** 2;
        }
        const mean = s / n;
        const std = Math.sqrt(s2 / n - mean * mean);
        // Measured (seed 1): means -0.18, -0.09, 0.21 (10 class colours of std 0.4); stds 0.97-0.99.
        expect(Math.abs(mean)).toBeLessThan(0.4);
        expect(std).toBeGreaterThan(0.8);
        expect(std).toBeLessThan(1.2);
      }
    }
  });

  it('is learnable from spatial structure, but not from colour or one pixel alone', () => {
    const R = 16;
    const K = 10;
    const cfg = config({ seed: 1, resolution: R, numClasses: K });
    const train = syntheticBatch(cfg, 'train', 0, 2000);
    const val = syntheticBatch(cfg, 'val', 0, 1000);
    const features = (b: Batch, f: (img: Float32Array) => number[]): number[][] =>
      Array.from({ length: b.size }, (_, n) => f(image(b, n)));
    const basis = dftBasis(R);
    const rich = (img: Float32Array): number[] => [...channelMeans(img), ...fourierFeatures(img, R, basis)];
    const centre = 3 * ((R / 2) * R + R / 2);
    const accRich = nearestClassMeanAccuracy(features(train, rich), train.labels, features(val, rich), val.labels, K);
    const accMean = nearestClassMeanAccuracy(features(train, channelMeans), train.labels, features(val, channelMeans), val.labels, K);
    const accPixel = nearestClassMeanAccuracy(
      features(train, (img) => Array.from(img.subarray(centre, centre + 3))),
      train.labels,
      features(val, (img) => Array.from(img.subarray(centre, centre + 3))),
      val.labels,
      K,
    );
    // Measured (seed 1): rich 0.982, channel means 0.479, centre pixel 0.205; chance is 0.1.
    // Over seeds 1-5 and 42: rich 0.92-0.98, channel means 0.42-0.60.
    expect(accRich).toBeGreaterThan(0.85);
    expect(accMean).toBeGreaterThan(0.2); // colour is a real but partial cue
    expect(accMean).toBeLessThan(0.7);
    expect(accPixel).toBeLessThan(0.4);
    expect(accRich - accMean).toBeGreaterThan(0.3);
  });
});

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ma = 0;
  let mb = 0;
  for (let k = 0; k < a.length; k++) {
    ma += a[k] / a.length;
    mb += b[k] / b.length;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < a.length; k++) {
    const u = a[k] - ma;
    const v = b[k] - mb;
    sab += u * v;
    saa += u * u;
    sbb += v * v;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Correlation of a grey R x R field with itself shifted by (dx, dy), periodic. */
function lagCorr(f: Float64Array, R: number, dx: number, dy: number): number {
  let m = 0;
  for (const v of f) m += v / f.length;
  let num = 0;
  let den = 0;
  for (let y = 0; y < R; y++) {
    for (let x = 0; x < R; x++) {
      const a = f[y * R + x] - m;
      const b = f[(((y + dy) % R) + R) % R * R + ((((x + dx) % R) + R) % R)] - m;
      num += a * b;
      den += a * a;
    }
  }
  return num / den;
}

describe('the planted long-range pairing (opt-in)', () => {
  it('is off by default: planted 0 or absent gives bit-identical images', () => {
    const a = syntheticBatch(config(), 'train', 2, 8);
    const b = syntheticBatch(config({ planted: 0 }), 'train', 2, 8);
    expect(bits(b.images)).toEqual(bits(a.images));
    expect(() => syntheticBatch(config({ planted: -1 }), 'train', 0, 2)).toThrow(/planted/);
  });

  it('adds a grey field correlated only at its class lag, so class evidence is long-range only', () => {
    const R = 16;
    const K = 4;
    const on = syntheticBatch(config({ resolution: R, numClasses: K, planted: 1 }), 'train', 0, 64);
    const off = syntheticBatch(config({ resolution: R, numClasses: K }), 'train', 0, 64);
    const own: number[] = [];
    const other: number[] = [];
    const local: number[] = [];
    for (let n = 0; n < on.size; n++) {
      const a = image(on, n);
      const b = image(off, n);
      const d = new Float64Array(R * R);
      for (let p = 0; p < R * R; p++) {
        const v = [0, 1, 2].map((c) => a[3 * p + c] - b[3 * p + c]);
        // grey: the same value in every channel
        expect(Math.abs(v[0] - v[1]) + Math.abs(v[1] - v[2])).toBeLessThan(1e-4);
        d[p] = v[0];
      }
      const c = on.labels[n];
      const [dx, dy] = plantedLagPx(c, R);
      own.push(lagCorr(d, R, dx, dy));
      for (let k = 0; k < K; k++) {
        if (k === c) continue;
        const [ox, oy] = plantedLagPx(k, R);
        other.push(Math.abs(lagCorr(d, R, ox, oy)));
      }
      local.push(Math.abs(lagCorr(d, R, 1, 0)), Math.abs(lagCorr(d, R, 0, 1)));
    }
    const avg = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    // n(p) + n(p + d) has correlation 1/2 at lag d and 0 at every other lag (in expectation).
    expect(avg(own)).toBeGreaterThan(0.4);
    expect(avg(own)).toBeLessThan(0.6);
    expect(avg(other)).toBeLessThan(0.12);
    expect(avg(local)).toBeLessThan(0.12);
    // the lags are long-range at 16 px: 6 pixels, beyond a 3x3 or 5x5 neighbourhood
    for (let c = 0; c < K; c++) expect(Math.max(...plantedLagPx(c, R).map(Math.abs))).toBe(6);
  });
});

describe('plantedOnly: the planted pairing as the only class evidence', () => {
  it('draws each image\'s look (colour and gratings) from a decoy class independent of its label', () => {
    const K = 4;
    const base = config({ numClasses: K, planted: 1 });
    const only = syntheticBatch({ ...base, plantedOnly: true }, 'train', 0, 256);
    const usual = syntheticBatch(base, 'train', 0, 256);
    expect(Array.from(only.labels)).toEqual(Array.from(usual.labels));
    // Identify each image's look by its channel means, which the class colour dominates: the
    // class with the nearest mean colour.
    const idx = syntheticBatchIndices(base, 'train', 0, 256);
    const joint = Array.from({ length: K }, () => new Array<number>(K).fill(0));
    let same = 0;
    for (let n = 0; n < only.size; n++) {
      const m = channelMeans(image(only, n));
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < K; c++) {
        const d = syntheticClass(base.seed, c).colour.reduce((s, v, ch) => s + (v - m[ch]) ** 2, 0);
        if (d < bestD) [best, bestD] = [c, d];
      }
      joint[only.labels[n]][best]++;
      if (best === only.labels[n]) same++;
      expect(idx[n] % K).toBe(only.labels[n]);
    }
    // Usual data: the colour-nearest class is mostly the label; plantedOnly: about 1 in K.
    let usualSame = 0;
    for (let n = 0; n < usual.size; n++) {
      const m = channelMeans(image(usual, n));
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < K; c++) {
        const d = syntheticClass(base.seed, c).colour.reduce((s, v, ch) => s + (v - m[ch]) ** 2, 0);
        if (d < bestD) [best, bestD] = [c, d];
      }
      if (best === usual.labels[n]) usualSame++;
    }
    expect(usualSame / usual.size).toBeGreaterThan(0.5);
    expect(same / only.size).toBeLessThan(0.25 + 0.12);
    // every label shows several looks
    for (const row of joint) expect(row.filter((v) => v > 0).length).toBeGreaterThanOrEqual(3);
  });

  it('samples and batches agree, and it needs planted > 0', () => {
    const cfg = config({ numClasses: 4, planted: 1, plantedOnly: true });
    const b = syntheticBatch(cfg, 'val', 3, 4);
    const idx = syntheticBatchIndices(cfg, 'val', 3, 4);
    for (let n = 0; n < 4; n++) expect(bits(syntheticSample(cfg, 'val', idx[n]).image)).toEqual(bits(image(b, n)));
    expect(() => syntheticBatch(config({ plantedOnly: true }), 'train', 0, 2)).toThrow(/plantedOnly needs planted > 0/);
  });
});
