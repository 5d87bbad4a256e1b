// An optional cache of decoded images: an ImageDecoder that decodes each image once, to
// a `side` x `side` square of the WHOLE image (aspect not kept; the original size is stored with
// it), keeps that in a PixelStore (the Origin Private File System in the browser), and serves
// every later decode of the same bytes from it: the crop is still chosen on the original
// width x height (so RandomResizedCrop draws exactly what it draws without the cache), mapped onto
// the stored square, and resampled bilinearly (src/core/data/pipeline/resize.ts). What differs
// from decoding afresh: the pixels come from the `side` px copy, so a small crop of a large image
// is upsampled from fewer pixels (see docs/data.md, "In the browser"; the side is an option).
import { crc32c } from '../../core/data/formats/crc32c.ts';
import type { CropRect, DecodedImage, ImageDecoder } from '../../core/data/images/decode.ts';
import { cropResizeBilinear } from '../../core/data/pipeline/resize.ts';

/** A cached image: `side` x `side` RGBA of the whole image, and the original size. */
export interface CachedImage {
  width: number;
  height: number;
  pixels: DecodedImage;
}

export interface PixelStore {
  get(key: string): Promise<CachedImage | null>;
  put(key: string, img: CachedImage): Promise<void>;
}

/** 64 bits of identity for the encoded bytes: length, CRC-32C, FNV-1a. */
export function bytesKey(b: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return `${b.length.toString(36)}-${crc32c(b).toString(16)}-${(h >>> 0).toString(16)}`;
}

/** `crop` of a width x height image, in the coordinates of its side x side copy (inside it). */
export function scaleCrop(crop: CropRect, width: number, height: number, side: number): CropRect {
  const sx = side / width;
  const sy = side / height;
  const x = Math.min(side - 1, Math.floor(crop.x * sx));
  const y = Math.min(side - 1, Math.floor(crop.y * sy));
  const x2 = Math.max(x + 1, Math.min(side, Math.ceil((crop.x + crop.width) * sx)));
  const y2 = Math.max(y + 1, Math.min(side, Math.ceil((crop.y + crop.height) * sy)));
  return { x, y, width: x2 - x, height: y2 - y };
}

export class CachingDecoder implements ImageDecoder {
  readonly name: string;
  hits = 0;
  misses = 0;

  constructor(
    private readonly inner: ImageDecoder,
    private readonly store: PixelStore,
    /** Side of the cached square in pixels. */
    readonly side: number,
  ) {
    if (!Number.isInteger(side) || side < 1) throw new Error(`decode cache: side must be an integer >= 1, got ${side}`);
    this.name = `${inner.name} + cache ${side} px`;
  }

  async decode(bytes: Uint8Array, ext: string, chooseCrop: (w: number, h: number) => CropRect, outWidth: number, outHeight: number): Promise<DecodedImage> {
    const key = bytesKey(bytes);
    let cached = await this.store.get(key).catch(() => null); // a failing store only costs a decode
    if (cached === null) {
      this.misses++;
      let size = { width: 0, height: 0 };
      const whole = (width: number, height: number): CropRect => {
        size = { width, height };
        return { x: 0, y: 0, width, height };
      };
      const pixels = await this.inner.decode(bytes, ext, whole, this.side, this.side);
      cached = { ...size, pixels };
      await this.store.put(key, cached).catch(() => undefined);
    } else this.hits++;
    const crop = chooseCrop(cached.width, cached.height);
    return cropResizeBilinear(cached.pixels, scaleCrop(crop, cached.width, cached.height, this.side), outWidth, outHeight);
  }
}

/** An in-memory PixelStore (tests; a fallback where OPFS is unavailable). */
export class MemoryPixelStore implements PixelStore {
  readonly map = new Map<string, CachedImage>();
  get(key: string): Promise<CachedImage | null> {
    return Promise.resolve(this.map.get(key) ?? null);
  }
  put(key: string, img: CachedImage): Promise<void> {
    this.map.set(key, img);
    return Promise.resolve();
  }
}
