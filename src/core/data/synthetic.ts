// The lab's built-in dataset: coloured, oriented sinusoidal gratings plus noise, generated on the
// fly from a seed at any resolution. See docs/synthetic-data.md for the why.
//
// Class c (from deriveRng(seed, 'class', c), so independent of numClasses and of every other
// class) is a colour mean (3 values) and 1..3 gratings, each with a frequency in cycles per image
// (so the class looks the same at every resolution), an orientation and a signed amplitude per
// channel (colour-opponent gratings happen). Sample i of a split (from deriveRng(seed, 'sample',
// split, i)) has class i mod numClasses and draws a contrast jitter, a per-image colour cast, a
// phase (= translation) plus a small orientation and frequency jitter per class grating, one
// distractor grating that carries no class, and iid Gaussian pixel noise:
//
//   x[y, x, ch] = colour[ch] + cast[ch] + contrast * sum_g amp_g[ch] * sin(2 pi f_g (cos t_g u + sin t_g v) + phase_g)
//                 + distractor[ch](u, v) + noise * N(0, 1),   u = (x + 0.5) / R, v = (y + 0.5) / R
//
// (u, v are pixel centres in [0, 1).) The scales below make each channel roughly mean 0,
// variance 1 over the dataset (as ImageNet-normalised pixels are): COLOUR_STD^2 + CAST_STD^2 +
// E[contrast^2] * GRATING_VAR + DISTRACTOR_VAR + noise^2 = 0.16 + 0.09 + 0.41 + 0.1 + 0.25 = 1.0
// at the default noise 0.5.
//
// Images are NHWC float32, channel fastest, matching tf.tensor4d(images, [N, R, R, 3]).
import { deriveRng } from '../rng';

export interface SyntheticConfig {
  /** Seed of the whole dataset (class definitions and every sample). */
  seed: number;
  /** Number of classes (>= 2); class of sample i is i mod numClasses. */
  numClasses: number;
  /** Image side in pixels (square). From 12 px up every grating is below Nyquist (max ~5.4 cycles/image after jitter). */
  resolution: number;
  /** Std of the iid Gaussian pixel noise (pixels have std ~1 before noise). */
  noise: number;
  /** Number of distinct training samples (indices 0..trainSize-1). */
  trainSize: number;
  /** Number of distinct validation samples (indices 0..valSize-1). */
  valSize: number;
  /**
   * Amplitude of the planted long-range pairing (default 0 = off, and then every image is exactly
   * as without it): a grey white-noise field plus its own copy shifted by the class's lag
   * (PLANTED_LAGS, a fraction of the image, periodic). Class evidence lives only in the
   * correlation between pixels that far apart; every local statistic is the same for all classes,
   * so only a receptive field spanning the lag (large kernels) can read it.
   */
  planted?: number;
  /**
   * With `planted` > 0: the planted pairing is the ONLY class evidence (default false). Each image's
   * colour and gratings are those of a class drawn at random per sample (its own stream
   * deriveRng(seed, 'decoy', split, i)), so they look as usual but say nothing about the label.
   */
  plantedOnly?: boolean;
}

export const DEFAULT_SYNTHETIC: Omit<SyntheticConfig, 'seed' | 'numClasses' | 'resolution'> = {
  // Pixel noise std; 0.5 keeps single pixels ambiguous while whole images stay easy.
  noise: 0.5,
  // Train split size: CIFAR-sized; samples are generated on demand, so size costs no memory.
  trainSize: 50_000,
  // Validation split size: enough for a ~1% standard error on accuracy.
  valSize: 2_000,
};

export type SyntheticSplit = 'train' | 'val';

export interface Batch {
  /** NHWC float32, length size * resolution * resolution * 3. */
  images: Float32Array;
  /** Class index per image, in [0, numClasses). */
  labels: Int32Array;
  size: number;
  resolution: number;
}

/** One grating of a class. */
export interface SyntheticGrating {
  /** Spatial frequency in cycles per image width. */
  freqCyclesPerImage: number;
  /** Direction of the wave vector in radians, [0, pi). */
  orientationRad: number;
  /** Signed amplitude per channel (R, G, B). */
  amp: [number, number, number];
}

/** The definition of one class (what the generator draws from deriveRng(seed, 'class', c)). */
export interface SyntheticClass {
  /** Per-channel mean colour. */
  colour: [number, number, number];
  gratings: SyntheticGrating[];
}

/** Std of the class colour means across classes. */
const COLOUR_STD = 0.4;
/** Std of the per-image colour cast (blurs the colour cue so colour alone cannot solve the task). */
const CAST_STD = 0.3;
/** Class grating variance per channel, averaged over the channels, at contrast 1. */
const GRATING_VAR = 0.4;
/** Variance per channel of the distractor grating (random per sample, carries no class). */
const DISTRACTOR_VAR = 0.1;
/** Per-sample jitter of each class grating: orientation std (radians), log-frequency std. */
const ORIENTATION_JITTER_RAD = 0.1;
const LOG_FREQ_JITTER = 0.1;
/** Grating frequency range in cycles per image. */
const MIN_FREQ = 1;
const MAX_FREQ = 4;
/** Contrast jitter: uniform in [1 - CONTRAST_JITTER, 1 + CONTRAST_JITTER]. */
const CONTRAST_JITTER = 0.3;
const CHANNELS = 3;
const TWO_PI = 2 * Math.PI;
/** Lag of the planted pairing of class c: PLANTED_LAGS[c mod 4], as (dx, dy) fractions of the image side. */
export const PLANTED_LAGS: ReadonlyArray<readonly [number, number]> = [
  [0.375, 0],
  [0, 0.375],
  [0.375, 0.375],
  [0.375, -0.375],
];

/** The planted lag of class `classIdx` in whole pixels at resolution R (periodic). */
export function plantedLagPx(classIdx: number, R: number): [number, number] {
  const [fx, fy] = PLANTED_LAGS[classIdx % PLANTED_LAGS.length];
  return [Math.round(fx * R), Math.round(fy * R)];
}

/**
 * Adds the planted pairing to `out` (HWC): a * (n(p) + n(p + lag)) / sqrt(2), grey, n iid N(0, 1)
 * per pixel from its own stream (so the other draws do not move), periodic at the borders.
 */
function addPlanted(cfg: SyntheticConfig, classIdx: number, split: SyntheticSplit, index: number, out: Float32Array): void {
  const a = cfg.planted ?? 0;
  if (a === 0) return;
  const R = cfg.resolution;
  const rng = deriveRng(cfg.seed, 'planted', split, index);
  const n = new Float64Array(R * R);
  for (let k = 0; k < R * R; k++) n[k] = rng.normal();
  const [dx, dy] = plantedLagPx(classIdx, R);
  const g = a / Math.SQRT2;
  for (let y = 0; y < R; y++) {
    for (let x = 0; x < R; x++) {
      const q = (((y + dy) % R) + R) % R * R + ((((x + dx) % R) + R) % R);
      const v = g * (n[y * R + x] + n[q]);
      const o = 3 * (y * R + x);
      out[o] += v;
      out[o + 1] += v;
      out[o + 2] += v;
    }
  }
}

/** Throws a RangeError naming the first invalid field of `cfg`. */
export function validateSyntheticConfig(cfg: SyntheticConfig): void {
  const intAtLeast = (name: Exclude<keyof SyntheticConfig, 'planted' | 'plantedOnly'>, min: number): void => {
    const v = cfg[name];
    if (!Number.isSafeInteger(v) || v < min) {
      throw new RangeError(`synthetic: ${name} must be an integer >= ${min}, got ${String(v)}`);
    }
  };
  if (!Number.isSafeInteger(cfg.seed)) throw new RangeError(`synthetic: seed must be an integer, got ${String(cfg.seed)}`);
  intAtLeast('numClasses', 2);
  intAtLeast('resolution', 1);
  intAtLeast('trainSize', 1);
  intAtLeast('valSize', 1);
  if (!Number.isFinite(cfg.noise) || cfg.noise < 0) {
    throw new RangeError(`synthetic: noise must be a finite number >= 0, got ${String(cfg.noise)}`);
  }
  if (cfg.planted !== undefined && (!Number.isFinite(cfg.planted) || cfg.planted < 0)) {
    throw new RangeError(`synthetic: planted must be a finite number >= 0, got ${String(cfg.planted)}`);
  }
  if (cfg.plantedOnly !== undefined && typeof cfg.plantedOnly !== 'boolean') throw new RangeError(`synthetic: plantedOnly must be a boolean, got ${String(cfg.plantedOnly)}`);
  if (cfg.plantedOnly && !((cfg.planted ?? 0) > 0)) throw new RangeError('synthetic: plantedOnly needs planted > 0 (otherwise no image carries its class)');
}

/** The definition of class `classIdx` under `seed` (independent of numClasses and resolution). */
export function syntheticClass(seed: number, classIdx: number): SyntheticClass {
  const rng = deriveRng(seed, 'class', classIdx);
  const colour: [number, number, number] = [rng.normal() * COLOUR_STD, rng.normal() * COLOUR_STD, rng.normal() * COLOUR_STD];
  const numGratings = 1 + rng.int(3);
  const gratings: SyntheticGrating[] = [];
  let sumSq = 0;
  for (let g = 0; g < numGratings; g++) {
    const freqCyclesPerImage = MIN_FREQ + (MAX_FREQ - MIN_FREQ) * rng.uniform();
    const orientationRad = Math.PI * rng.uniform();
    const amp: [number, number, number] = [0, 0, 0];
    for (let ch = 0; ch < CHANNELS; ch++) {
      // Magnitude in [0.2, 1], sign random: some gratings are colour-opponent.
      amp[ch] = (0.2 + 0.8 * rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1);
      sumSq += amp[ch] * amp[ch];
    }
    gratings.push({ freqCyclesPerImage, orientationRad, amp });
  }
  // Scale so the grating variance (amp^2 / 2 per grating), averaged over channels, is GRATING_VAR.
  const scale = Math.sqrt(GRATING_VAR / (sumSq / 2 / CHANNELS));
  for (const g of gratings) for (let ch = 0; ch < CHANNELS; ch++) g.amp[ch] *= scale;
  return { colour, gratings };
}

/** The class whose colour and gratings sample `index` shows: its label, or under plantedOnly a decoy drawn per sample. */
function lookClass(cfg: SyntheticConfig, split: SyntheticSplit, index: number, label: number): number {
  return cfg.plantedOnly ? deriveRng(cfg.seed, 'decoy', split, index).int(cfg.numClasses) : label;
}

function splitSize(cfg: SyntheticConfig, split: SyntheticSplit): number {
  if (split === 'train') return cfg.trainSize;
  if (split === 'val') return cfg.valSize;
  throw new RangeError(`synthetic: split must be 'train' or 'val', got ${String(split)}`);
}

/** Render sample `index` of `split` (of class `cls`) into `out` (length R*R*3, HWC). */
function renderSample(cfg: SyntheticConfig, cls: SyntheticClass, split: SyntheticSplit, index: number, out: Float32Array): void {
  const R = cfg.resolution;
  const rng = deriveRng(cfg.seed, 'sample', split, index);
  const contrast = 1 + CONTRAST_JITTER * (2 * rng.uniform() - 1);
  const base0 = cls.colour[0] + CAST_STD * rng.normal();
  const base1 = cls.colour[1] + CAST_STD * rng.normal();
  const base2 = cls.colour[2] + CAST_STD * rng.normal();
  for (let p = 0; p < R * R; p++) {
    out[3 * p] = base0;
    out[3 * p + 1] = base1;
    out[3 * p + 2] = base2;
  }
  // Waves to draw: the class gratings, each with its own phase and a small orientation and
  // frequency jitter, then one distractor grating of random frequency, orientation and colour.
  const waves: Array<{ kx: number; ky: number; phase: number; a0: number; a1: number; a2: number }> = [];
  const addWave = (freq: number, theta: number, phase: number, amp: readonly number[], gain: number): void => {
    waves.push({
      kx: TWO_PI * freq * Math.cos(theta),
      ky: TWO_PI * freq * Math.sin(theta),
      phase,
      a0: gain * amp[0],
      a1: gain * amp[1],
      a2: gain * amp[2],
    });
  };
  for (const g of cls.gratings) {
    const phase = TWO_PI * rng.uniform();
    const theta = g.orientationRad + ORIENTATION_JITTER_RAD * rng.normal();
    const freq = g.freqCyclesPerImage * Math.exp(LOG_FREQ_JITTER * rng.normal());
    addWave(freq, theta, phase, g.amp, contrast);
  }
  {
    const freq = MIN_FREQ + (MAX_FREQ - MIN_FREQ) * rng.uniform();
    const theta = Math.PI * rng.uniform();
    const phase = TWO_PI * rng.uniform();
    const amp = [0, 0, 0];
    let sumSq = 0;
    for (let ch = 0; ch < CHANNELS; ch++) {
      amp[ch] = (0.2 + 0.8 * rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1);
      sumSq += amp[ch] * amp[ch];
    }
    addWave(freq, theta, phase, amp, Math.sqrt(DISTRACTOR_VAR / (sumSq / 2 / CHANNELS)));
  }

  // sin(a_x + b_y) = sin(a_x) cos(b_y) + cos(a_x) sin(b_y): 4R trig calls per wave, not R^2.
  const sx = new Float64Array(R);
  const cx = new Float64Array(R);
  const sy = new Float64Array(R);
  const cy = new Float64Array(R);
  for (const w of waves) {
    for (let i = 0; i < R; i++) {
      const t = (i + 0.5) / R;
      sx[i] = Math.sin(w.kx * t + w.phase);
      cx[i] = Math.cos(w.kx * t + w.phase);
      sy[i] = Math.sin(w.ky * t);
      cy[i] = Math.cos(w.ky * t);
    }
    const { a0, a1, a2 } = w;
    let o = 0;
    for (let y = 0; y < R; y++) {
      const syv = sy[y];
      const cyv = cy[y];
      for (let x = 0; x < R; x++, o += 3) {
        const v = sx[x] * cyv + cx[x] * syv;
        out[o] += a0 * v;
        out[o + 1] += a1 * v;
        out[o + 2] += a2 * v;
      }
    }
  }
  const noise = cfg.noise;
  if (noise > 0) for (let k = 0; k < R * R * CHANNELS; k++) out[k] += noise * rng.normal();
}

/**
 * Sample `index` (0-based, < the split's size) of `split`. Writes into `out` when given (length
 * resolution^2 * 3, e.g. a subarray of a batch) and returns it as `image` (HWC, channel fastest).
 */
export function syntheticSample(
  cfg: SyntheticConfig,
  split: SyntheticSplit,
  index: number,
  out?: Float32Array,
): { image: Float32Array; label: number } {
  validateSyntheticConfig(cfg);
  const size = splitSize(cfg, split);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`synthetic: ${split} index must be an integer in [0, ${size}), got ${String(index)}`);
  }
  const len = cfg.resolution * cfg.resolution * CHANNELS;
  const image = out ?? new Float32Array(len);
  if (image.length !== len) throw new RangeError(`synthetic: out has length ${image.length}, expected ${len}`);
  const label = index % cfg.numClasses;
  renderSample(cfg, syntheticClass(cfg.seed, lookClass(cfg, split, index, label)), split, index, image);
  addPlanted(cfg, label, split, index, image);
  return { image, label };
}

/**
 * The sample indices of batch `batchIndex` (0-based). train: `batchSize` distinct indices (with
 * replacement only if batchSize > trainSize) drawn from deriveRng(seed, 'batch', batchIndex), so
 * batch t is the same whatever ran before it. val: consecutive indices batchIndex * batchSize ..,
 * wrapping modulo valSize.
 */
export function syntheticBatchIndices(cfg: SyntheticConfig, split: SyntheticSplit, batchIndex: number, batchSize: number): number[] {
  validateSyntheticConfig(cfg);
  const size = splitSize(cfg, split);
  if (!Number.isSafeInteger(batchIndex) || batchIndex < 0) {
    throw new RangeError(`synthetic: batchIndex must be a non-negative integer, got ${String(batchIndex)}`);
  }
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`synthetic: batchSize must be a positive integer, got ${String(batchSize)}`);
  }
  const idx: number[] = [];
  if (split === 'val') {
    const start = (batchIndex * batchSize) % size;
    for (let k = 0; k < batchSize; k++) idx.push((start + k) % size);
    return idx;
  }
  const rng = deriveRng(cfg.seed, 'batch', batchIndex);
  if (batchSize > size) {
    for (let k = 0; k < batchSize; k++) idx.push(rng.int(size));
    return idx;
  }
  const seen = new Set<number>();
  while (idx.length < batchSize) {
    const i = rng.int(size);
    if (!seen.has(i)) {
      seen.add(i);
      idx.push(i);
    }
  }
  return idx;
}

/** Batch `batchIndex` of `split` (indices from syntheticBatchIndices), NHWC float32. */
export function syntheticBatch(cfg: SyntheticConfig, split: SyntheticSplit, batchIndex: number, batchSize: number): Batch {
  const indices = syntheticBatchIndices(cfg, split, batchIndex, batchSize);
  const R = cfg.resolution;
  const len = R * R * CHANNELS;
  const images = new Float32Array(batchSize * len);
  const labels = new Int32Array(batchSize);
  const classes = new Map<number, SyntheticClass>();
  for (let k = 0; k < batchSize; k++) {
    const label = indices[k] % cfg.numClasses;
    const look = lookClass(cfg, split, indices[k], label);
    let cls = classes.get(look);
    if (!cls) {
      cls = syntheticClass(cfg.seed, look);
      classes.set(look, cls);
    }
    renderSample(cfg, cls, split, indices[k], images.subarray(k * len, (k + 1) * len));
    addPlanted(cfg, label, split, indices[k], images.subarray(k * len, (k + 1) * len));
    labels[k] = label;
  }
  return { images, labels, size: batchSize, resolution: R };
}
