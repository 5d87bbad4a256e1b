// An ImageDecoder in pure JavaScript for the Node CLI, tests and benchmarks: jpeg-js and fast-png
// decode, then the pipeline's own bilinear crop-and-resize. The type is sniffed from the bytes
// (the extension is ignored). Grayscale (JPEG or PNG) becomes R = G = B; 16-bit PNG keeps the
// high byte; palette PNG is expanded; alpha is kept in the RGBA output and ignored by the
// pipeline (RGB used as stored, as PIL's convert('RGB') does). Uses no Node API (jpeg-js with
// typed arrays does not touch Buffer), so it also runs in a worker.
import jpeg from 'jpeg-js';
import { convertIndexedToRgb, decode as decodePng, type DecodedPng } from 'fast-png';
import type { CropRect, DecodedImage, ImageDecoder } from '../data/images/decode.ts';
import { cropResizeBilinear } from '../data/pipeline/resize.ts';
import { hexHead, sniffImage } from '../data/images/imageKind.ts';
import { checkEncodedImage } from '../data/images/imageHeader.ts';
import { LIMITS } from '../limits.ts';

/** Largest image decoded, in megapixels (checked from the header first; jpeg-js refuses larger too). */
const MAX_MEGAPIXELS = LIMITS.maxImagePixels / 1e6;

/** RGBA 8-bit from any fast-png result (gray, gray+alpha, RGB, RGBA, palette; 1..16 bits). */
export function pngToRgba(png: DecodedPng): Uint8ClampedArray {
  const { width: w, height: h } = png;
  const out = new Uint8ClampedArray(w * h * 4);
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    const c = rgb.length / (w * h);
    for (let p = 0; p < w * h; p++) {
      out[4 * p] = rgb[c * p];
      out[4 * p + 1] = rgb[c * p + 1];
      out[4 * p + 2] = rgb[c * p + 2];
      out[4 * p + 3] = c === 4 ? rgb[c * p + 3] : 255;
    }
    return out;
  }
  const ch = png.channels;
  const depth = png.depth;
  const data = png.data;
  // One sample (channel value) scaled to 0..255.
  let sample: (i: number) => number;
  if (depth === 8) sample = (i) => data[i];
  else if (depth === 16) sample = (i) => data[i] >> 8;
  else {
    // Packed 1/2/4-bit samples, rows padded to whole bytes.
    const rowBytes = Math.ceil((w * ch * depth) / 8);
    const max = (1 << depth) - 1;
    const perRow = w * ch;
    sample = (i) => {
      const y = Math.floor(i / perRow);
      const bit = (i % perRow) * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      return Math.round((((byte >> (8 - depth - (bit & 7))) & max) * 255) / max);
    };
  }
  for (let p = 0; p < w * h; p++) {
    const s = p * ch;
    if (ch === 1 || ch === 2) {
      const g = sample(s);
      out[4 * p] = g;
      out[4 * p + 1] = g;
      out[4 * p + 2] = g;
      out[4 * p + 3] = ch === 2 ? sample(s + 1) : 255;
    } else {
      out[4 * p] = sample(s);
      out[4 * p + 1] = sample(s + 1);
      out[4 * p + 2] = sample(s + 2);
      out[4 * p + 3] = ch === 4 ? sample(s + 3) : 255;
    }
  }
  return out;
}

/** Decode to full-size RGBA (no crop), sniffing the type. Throws an Error saying what is wrong. */
export function decodeFull(bytes: Uint8Array): DecodedImage {
  checkEncodedImage(bytes); // pixels from the header, PNG CRCs: before any decoding memory
  const kind = sniffImage(bytes);
  if (kind === 'jpeg') {
    const d = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 512 });
    if (!(d.width > 0 && d.height > 0)) throw new Error('JPEG with no pixels');
    return { width: d.width, height: d.height, data: new Uint8ClampedArray(d.data.buffer, d.data.byteOffset, d.data.length) };
  }
  if (kind === 'png') {
    const png = decodePng(bytes);
    if (!(png.width > 0 && png.height > 0)) throw new Error('PNG with no pixels');
    return { width: png.width, height: png.height, data: pngToRgba(png) };
  }
  if (kind === 'unknown') throw new Error(`not a JPEG or PNG (first bytes ${hexHead(bytes)})`);
  throw new Error(`${kind.toUpperCase()} images are not supported by the jpeg-js/fast-png decoder`);
}

export const jsImageDecoder: ImageDecoder = {
  name: 'jpeg-js/fast-png',
  decode(bytes: Uint8Array, _ext: string, chooseCrop: (width: number, height: number) => CropRect, outWidth: number, outHeight: number): Promise<DecodedImage> {
    try {
      const full = decodeFull(bytes);
      const crop = chooseCrop(full.width, full.height);
      return Promise.resolve(cropResizeBilinear(full, crop, outWidth, outHeight));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  },
};
