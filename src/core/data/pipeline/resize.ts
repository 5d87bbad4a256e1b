// Bilinear crop-and-resize of RGBA pixels, for decoders that only decode (the Node CLI): the crop
// rect of the source is resampled to outWidth x outHeight with half-pixel centres (the convention
// of tf.image.resize with half_pixel_centers, OpenCV INTER_LINEAR and PIL without antialias):
//   source x of output column ox = crop.x + (ox + 0.5) * crop.width / outWidth - 0.5,
// clamped to [crop.x, crop.x + crop.width - 1] (edge pixels repeat; nothing outside the crop is
// read). No antialiasing: a large downscale aliases, as createImageBitmap's default quality may
// too (see docs/data.md).
import type { CropRect, DecodedImage } from '../images/decode.ts';

/** Source sample positions of one axis: lower index, upper index, weight of the upper. */
function axis(start: number, size: number, out: number): { lo: Int32Array; hi: Int32Array; t: Float32Array } {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const t = new Float32Array(out);
  const scale = size / out;
  for (let o = 0; o < out; o++) {
    let s = (o + 0.5) * scale - 0.5;
    if (s < 0) s = 0;
    if (s > size - 1) s = size - 1;
    const f = Math.floor(s);
    lo[o] = start + f;
    hi[o] = start + Math.min(f + 1, size - 1);
    t[o] = s - f;
  }
  return { lo, hi, t };
}

/** Crop `crop` out of `img` and resize it bilinearly to outWidth x outHeight (RGBA out). */
export function cropResizeBilinear(img: DecodedImage, crop: CropRect, outWidth: number, outHeight: number): DecodedImage {
  const { width: W, height: H, data } = img;
  if (!(crop.width >= 1 && crop.height >= 1 && crop.x >= 0 && crop.y >= 0 && crop.x + crop.width <= W && crop.y + crop.height <= H)) {
    throw new Error(`crop ${JSON.stringify(crop)} is not inside the ${W}x${H} image`);
  }
  const xs = axis(crop.x, crop.width, outWidth);
  const ys = axis(crop.y, crop.height, outHeight);
  const out = new Uint8ClampedArray(outWidth * outHeight * 4);
  for (let oy = 0; oy < outHeight; oy++) {
    const r0 = ys.lo[oy] * W;
    const r1 = ys.hi[oy] * W;
    const ty = ys.t[oy];
    for (let ox = 0; ox < outWidth; ox++) {
      const tx = xs.t[ox];
      const a = 4 * (r0 + xs.lo[ox]);
      const b = 4 * (r0 + xs.hi[ox]);
      const c = 4 * (r1 + xs.lo[ox]);
      const d = 4 * (r1 + xs.hi[ox]);
      const o = 4 * (oy * outWidth + ox);
      for (let ch = 0; ch < 4; ch++) {
        const top = data[a + ch] + (data[b + ch] - data[a + ch]) * tx;
        const bottom = data[c + ch] + (data[d + ch] - data[c + ch]) * tx;
        out[o + ch] = top + (bottom - top) * ty; // Uint8ClampedArray rounds half to even and clamps
      }
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}
