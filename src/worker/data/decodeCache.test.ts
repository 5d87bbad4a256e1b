import { describe, expect, it } from 'vitest';
import type { CropRect, DecodedImage, ImageDecoder } from '../../core/data/images/decode.ts';
import { cropResizeBilinear } from '../../core/data/pipeline/resize.ts';
import { createRng } from '../../core/rng.ts';
import { bytesKey, CachingDecoder, MemoryPixelStore, scaleCrop, type PixelStore } from './decodeCache.ts';

/** bytes [w, h, seed] decode to a w x h image of smooth colours; crop + bilinear resize. */
class PatternDecoder implements ImageDecoder {
  readonly name = 'pattern';
  calls = 0;
  async decode(bytes: Uint8Array, _ext: string, chooseCrop: (w: number, h: number) => CropRect, outW: number, outH: number): Promise<DecodedImage> {
    this.calls++;
    const [w, h, s] = bytes;
    const data = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([(x * 255) / (w - 1), (y * 255) / (h - 1), (s * 7 + x * y) % 256, 255], (y * w + x) * 4);
    return cropResizeBilinear({ width: w, height: h, data }, chooseCrop(w, h), outW, outH);
  }
}

describe('CachingDecoder', () => {
  it('decodes each image once, and serves exactly what a fresh decode gives when the cached copy is full size', async () => {
    const inner = new PatternDecoder();
    const store = new MemoryPixelStore();
    const cached = new CachingDecoder(inner, store, 16);
    const direct = new PatternDecoder();
    const img = Uint8Array.of(16, 16, 3);
    const crops: CropRect[] = [{ x: 0, y: 0, width: 16, height: 16 }, { x: 3, y: 5, width: 9, height: 7 }, { x: 10, y: 1, width: 6, height: 15 }];
    const seen: [number, number][] = [];
    for (const c of crops) {
      const choose = (w: number, h: number) => (seen.push([w, h]), c);
      const a = await cached.decode(img, 'jpg', choose, 8, 8);
      const b = await direct.decode(img, 'jpg', () => c, 8, 8);
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
    }
    expect(inner.calls).toBe(1);
    expect([cached.misses, cached.hits]).toEqual([1, 2]);
    expect(seen).toEqual([[16, 16], [16, 16], [16, 16]]); // the crop is chosen on the original size
    expect(store.map.size).toBe(1);
  });

  it('chooses crops on the original size and keeps the image close when the copy is smaller', async () => {
    const cached = new CachingDecoder(new PatternDecoder(), new MemoryPixelStore(), 24);
    const img = Uint8Array.of(60, 40, 1);
    const c = { x: 10, y: 8, width: 40, height: 30 };
    let asked: number[] = [];
    await cached.decode(img, 'jpg', () => c, 8, 8); // fills the cache
    const a = await cached.decode(img, 'jpg', (w, h) => ((asked = [w, h]), c), 8, 8);
    const b = await new PatternDecoder().decode(img, 'jpg', () => c, 8, 8);
    expect(asked).toEqual([60, 40]);
    // red and green are linear ramps: resampling a smaller copy moves them by a few levels only
    for (let i = 0; i < 64; i++) for (const k of [0, 1]) expect(Math.abs(a.data[i * 4 + k] - b.data[i * 4 + k])).toBeLessThanOrEqual(12);
  });

  it('decodes anyway when the store fails', async () => {
    const broken: PixelStore = { get: () => Promise.reject(new Error('quota')), put: () => Promise.reject(new Error('quota')) };
    const inner = new PatternDecoder();
    const d = new CachingDecoder(inner, broken, 8);
    const out = await d.decode(Uint8Array.of(8, 8, 0), 'jpg', (w, h) => ({ x: 0, y: 0, width: w, height: h }), 4, 4);
    expect(out.width).toBe(4);
    expect(inner.calls).toBe(1);
  });
});

describe('scaleCrop and bytesKey', () => {
  it('maps any crop inside the square copy, covering the crop', () => {
    const rng = createRng(5);
    for (let t = 0; t < 500; t++) {
      const [w, h, side] = [1 + rng.int(300), 1 + rng.int(300), 1 + rng.int(64)];
      const cw = 1 + rng.int(w);
      const ch = 1 + rng.int(h);
      const c = { x: rng.int(w - cw + 1), y: rng.int(h - ch + 1), width: cw, height: ch };
      const s = scaleCrop(c, w, h, side);
      expect(s.x >= 0 && s.y >= 0 && s.width >= 1 && s.height >= 1 && s.x + s.width <= side && s.y + s.height <= side).toBe(true);
      expect(s.x).toBeLessThanOrEqual((c.x * side) / w);
      expect(s.x + s.width).toBeGreaterThanOrEqual(Math.min(side, ((c.x + c.width) * side) / w) - 1e-9);
    }
    expect(scaleCrop({ x: 50, y: 0, width: 50, height: 100 }, 100, 100, 10)).toEqual({ x: 5, y: 0, width: 5, height: 10 });
  });

  it('tells different bytes apart', () => {
    expect(bytesKey(Uint8Array.of(1, 2, 3))).toBe(bytesKey(Uint8Array.of(1, 2, 3)));
    expect(bytesKey(Uint8Array.of(1, 2, 3))).not.toBe(bytesKey(Uint8Array.of(1, 2, 4)));
    expect(bytesKey(Uint8Array.of(1, 2, 3))).not.toBe(bytesKey(Uint8Array.of(1, 2, 3, 0)));
  });
});
