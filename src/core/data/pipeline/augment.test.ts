import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../rng.ts';
import { applyJitter, centreCrop, fallbackCrop, finishImage, IMAGENET_MEAN, IMAGENET_STD, normalise, randomResizedCrop, roundHalfEven, toRgbFloat } from './augment.ts';

/** An Rng whose uniform() replays `us` and int(n) returns floor(u * n) of the next value. */
function scripted(us: number[]): Rng {
  const r = createRng(0);
  let i = 0;
  return Object.assign(Object.create(r), { uniform: () => us[i++], int: (n: number) => Math.floor(us[i++] * n) });
}

describe('roundHalfEven (Python round)', () => {
  it('rounds halves to even', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6, 7].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3, 7]);
  });
});

describe('randomResizedCrop', () => {
  it('follows torchvision on a scripted draw', () => {
    // 100x100, scale u=0.5 -> area 10000 * (0.08 + 0.92 * 0.5) = 5400, ratio u=0.5 -> aspect 1,
    // w = h = round(73.48) = 73; offsets int(28) from u=0.25 (y first, as torchvision draws i then j) and u=0.75.
    expect(randomResizedCrop(100, 100, scripted([0.5, 0.5, 0.25, 0.75]))).toEqual({ x: 21, y: 7, width: 73, height: 73 });
    // ratio u=1 -> aspect 4/3: w = round(sqrt(5400 * 4/3)) = round(84.85) = 85, h = round(63.64) = 64.
    expect(randomResizedCrop(100, 100, scripted([0.5, 1, 0, 0]))).toMatchObject({ width: 85, height: 64 });
  });

  it('stays inside the image with area and aspect within bounds (up to rounding), deterministic per seed', () => {
    for (const [W, H] of [[500, 375], [375, 500], [64, 64], [37, 91]]) {
      const rng = createRng(W * 1000 + H);
      let minS = 1, maxS = 0, sumS = 0;
      const n = 4000;
      let bad = 0;
      for (let k = 0; k < n; k++) {
        const c = randomResizedCrop(W, H, rng);
        if (!(c.x >= 0 && c.y >= 0 && c.x + c.width <= W && c.y + c.height <= H && c.width >= 1 && c.height >= 1)) bad++;
        const s = (c.width * c.height) / (W * H);
        const slack = (c.width + c.height + 1) / (W * H); // rounding each side by <= 0.5
        if (s < 0.08 - slack || s > 1) bad++;
        const ar = c.width / c.height;
        // A fallback crop (rare) is the whole image or the clamped-aspect centre crop.
        if (ar < (3 / 4) * (1 - 1 / c.height) - 1e-9) bad++;
        if (!(c.width === W && c.height === H) && ar > (4 / 3) * (1 + 1 / c.height) + 1e-9) bad++;
        minS = Math.min(minS, s);
        maxS = Math.max(maxS, s);
        sumS += s;
      }
      expect(bad).toBe(0);
      expect(minS).toBeLessThan(0.1);
      // The largest crop of aspect >= 3/4 in a 37x91 image covers 37 x 49 = 54% of it.
      expect(maxS).toBeGreaterThan(W === 37 ? 0.5 : 0.85);
      // Rejection of too-large draws pulls the mean below the uniform mean 0.54.
      expect(sumS / n).toBeGreaterThan(W === 37 ? 0.2 : 0.3);
      expect(sumS / n).toBeLessThan(0.56);
    }
    const draws = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 5 }, () => randomResizedCrop(500, 375, r));
    };
    expect(draws(3)).toEqual(draws(3));
    expect(draws(3)).not.toEqual(draws(4));
  });

  it('falls back to torchvision central crop when 10 tries fail', () => {
    // 1000x10: a 4/3-aspect crop of >= 8% area never fits in 10 rows.
    expect(randomResizedCrop(1000, 10, createRng(1))).toEqual({ x: 493, y: 0, width: 13, height: 10 });
    expect(fallbackCrop(10, 1000, [3 / 4, 4 / 3])).toEqual({ x: 0, y: 493, width: 10, height: 13 });
    expect(fallbackCrop(100, 90, [3 / 4, 4 / 3])).toEqual({ x: 0, y: 0, width: 100, height: 90 });
  });
});

describe('centreCrop', () => {
  it('is Resize(256) + CenterCrop(224) as one crop', () => {
    // side = round(375 * 0.875) = round(328.125) = 328; x = round(86) = 86; y = round(23.5) = 24 (half to even).
    expect(centreCrop(500, 375)).toEqual({ x: 86, y: 24, width: 328, height: 328 });
    expect(centreCrop(256, 256)).toEqual({ x: 16, y: 16, width: 224, height: 224 });
    expect(centreCrop(1, 1)).toEqual({ x: 0, y: 0, width: 1, height: 1 });
  });
});

describe('pixels', () => {
  const img = { width: 2, height: 1, data: new Uint8ClampedArray([255, 0, 128, 255, 10, 20, 30, 0]) };

  it('normalises with the ImageNet mean and std, NHWC', () => {
    const out = new Float32Array(10);
    finishImage(img, null, out, 2);
    const want = [255, 0, 128, 10, 20, 30].map((v, i) => (v / 255 - IMAGENET_MEAN[i % 3]) / IMAGENET_STD[i % 3]);
    expect(out[0]).toBe(0);
    for (let i = 0; i < 6; i++) expect(out[2 + i]).toBeCloseTo(want[i], 6);
    expect(out[8]).toBe(0);
    // The reference values in numbers: (1 - 0.485) / 0.229 = 2.2489..., (0 - 0.456) / 0.224 = -2.0357...
    expect(out[2]).toBeCloseTo(2.248908, 5);
    expect(out[3]).toBeCloseTo(-2.035714, 5);
  });

  it('flips horizontally', () => {
    const rgb = toRgbFloat(img, true);
    expect(Array.from(rgb).map((v) => Math.round(v * 255))).toEqual([10, 20, 30, 255, 0, 128]);
  });

  it('jitters brightness, contrast and saturation as torchvision', () => {
    const px = () => new Float32Array([0.5, 0.2, 0.9, 0.1, 0.6, 0.3]);
    const b = px();
    applyJitter(b, { brightness: 1.5, contrast: 1, saturation: 1, order: [0, 1, 2] });
    [0.75, 0.2 * 1.5, 1, 0.1 * 1.5, 0.6 * 1.5, 0.3 * 1.5].forEach((v, i) => expect(b[i]).toBeCloseTo(v, 6));
    const gray = (r: number, g: number, bb: number) => 0.299 * r + 0.587 * g + 0.114 * bb;
    const c = px();
    applyJitter(c, { brightness: 1, contrast: 0, saturation: 1, order: [1, 0, 2] });
    const mean = (gray(0.5, 0.2, 0.9) + gray(0.1, 0.6, 0.3)) / 2;
    for (const v of c) expect(v).toBeCloseTo(mean, 6);
    const s = px();
    applyJitter(s, { brightness: 1, contrast: 1, saturation: 0, order: [2, 1, 0] });
    for (const ch of [0, 1, 2]) expect(s[ch]).toBeCloseTo(gray(0.5, 0.2, 0.9), 6);
    const s2 = px();
    applyJitter(s2, { brightness: 1, contrast: 1, saturation: 2, order: [2, 1, 0] });
    expect(s2[0]).toBeCloseTo(Math.min(1, 2 * 0.5 - gray(0.5, 0.2, 0.9)), 6);
    expect(s2[1]).toBeCloseTo(2 * 0.2 - gray(0.5, 0.2, 0.9), 6);
    expect(s2[2]).toBe(1); // 1.8 - 0.37 clamps to 1
  });

  it('normalise writes exactly the image', () => {
    const out = new Float32Array(3).fill(7);
    normalise(new Float32Array([IMAGENET_MEAN[0], IMAGENET_MEAN[1], IMAGENET_MEAN[2]]), out, 0);
    for (const v of out) expect(Math.abs(v)).toBeLessThan(1e-6);
  });
});
