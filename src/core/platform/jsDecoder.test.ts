import { describe, expect, it } from 'vitest';
import { grayPngBytes, jpegBytes, PIL_GRAY_JPEG_8x8, pngBytes } from '../data/fixtures/images.ts';
import { decodeFull, jsImageDecoder } from './jsDecoder.ts';
import { encode as encodePng } from 'fast-png';

const whole = (w: number, h: number) => ({ x: 0, y: 0, width: w, height: h });

describe('jsImageDecoder', () => {
  it('decodes a JPEG (colours within JPEG error) and crops + resizes to the requested size', async () => {
    const bytes = jpegBytes(16, 12, (x) => (x < 8 ? [200, 30, 30] : [20, 40, 220]), 95);
    const full = decodeFull(bytes);
    expect([full.width, full.height]).toEqual([16, 12]);
    let asked: number[] = [];
    const out = await jsImageDecoder.decode(bytes, 'jpg', (w, h) => ((asked = [w, h]), { x: 0, y: 0, width: 6, height: 12 }), 3, 4);
    expect(asked).toEqual([16, 12]);
    expect([out.width, out.height, out.data.length]).toEqual([3, 4, 48]);
    for (let p = 0; p < 12; p++) {
      expect(Math.abs(out.data[4 * p] - 200)).toBeLessThan(12);
      expect(Math.abs(out.data[4 * p + 2] - 30)).toBeLessThan(12);
    }
  });

  it('sniffs bytes, not names: a PNG named .JPEG decodes exactly', async () => {
    const bytes = pngBytes(5, 4, (x, y) => [x * 50, y * 60, 7]);
    const out = await jsImageDecoder.decode(bytes, 'jpeg', whole, 5, 4);
    expect(Array.from(out.data.subarray(0, 8))).toEqual([0, 0, 7, 255, 50, 0, 7, 255]);
    expect(out.data[4 * (3 * 5 + 4)]).toBe(200);
    expect(out.data[4 * (3 * 5 + 4) + 1]).toBe(180);
  });

  it('grayscale becomes R = G = B: a Pillow-written 1-component JPEG, 8- and 16-bit gray PNG, 4-bit gray, palette', async () => {
    const j = decodeFull(PIL_GRAY_JPEG_8x8);
    for (let p = 0; p < 64; p++) {
      expect(j.data[4 * p]).toBe(j.data[4 * p + 1]);
      expect(j.data[4 * p]).toBe(j.data[4 * p + 2]);
      const [x, y] = [p % 8, Math.floor(p / 8)];
      expect(Math.abs(j.data[4 * p] - (16 * x + 8 * y))).toBeLessThanOrEqual(2); // Pillow decodes these exact values
    }
    const g8 = decodeFull(grayPngBytes(3, 2, (x, y) => 10 * x + 100 * y));
    expect(Array.from(g8.data.subarray(4 * 4, 4 * 5))).toEqual([110, 110, 110, 255]);
    const g16 = decodeFull(grayPngBytes(3, 2, (x, y) => 1000 * x + 30000 * y, 16));
    expect(Array.from(g16.data.subarray(4 * 5, 4 * 6))).toEqual([32000 >> 8, 32000 >> 8, 32000 >> 8, 255]);
    // 4-bit gray, width 3: rows padded to 2 bytes; values 0..15 scale to 0..255 (x 17).
    const g4 = decodeFull(encodePng({ width: 3, height: 2, depth: 4, channels: 1, data: new Uint8Array([0x1f, 0x70, 0x23, 0x40]) }));
    expect(Array.from({ length: 6 }, (_, p) => g4.data[4 * p])).toEqual([1, 15, 7, 2, 3, 4].map((v) => v * 17));
    const pal = decodeFull(encodePng({ width: 2, height: 1, depth: 8, channels: 1, data: new Uint8Array([1, 0]), palette: [[9, 8, 7], [200, 100, 50]] }));
    expect(Array.from(pal.data)).toEqual([200, 100, 50, 255, 9, 8, 7, 255]);
  });

  it('rejects what it cannot decode with a message saying what is wrong', async () => {
    await expect(jsImageDecoder.decode(new Uint8Array([1, 2, 3, 4, 5]), 'jpg', whole, 2, 2)).rejects.toThrow(/not a JPEG or PNG \(first bytes 01 02 03 04 05\)/);
    const webp = new Uint8Array([...'RIFF'].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0], [...'WEBP'].map((c) => c.charCodeAt(0))));
    await expect(jsImageDecoder.decode(webp, 'webp', whole, 2, 2)).rejects.toThrow(/WEBP images are not supported/);
    const good = jpegBytes(16, 16, () => [1, 2, 3]);
    const cut = good.slice(0, 40);
    await expect(jsImageDecoder.decode(cut, 'jpg', whole, 2, 2)).rejects.toThrow();
    await expect(jsImageDecoder.decode(pngBytes(4, 4, () => [1, 2, 3]).slice(0, 30), 'png', whole, 2, 2)).rejects.toThrow();
    await expect(jsImageDecoder.decode(good, 'jpg', () => ({ x: 10, y: 0, width: 10, height: 4 }), 2, 2)).rejects.toThrow(/not inside the 16x16 image/);
  });
});
