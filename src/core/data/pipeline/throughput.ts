// Decode throughput for the benchmark (not a test): how many images per second an ImageDecoder
// turns into normalised training tensors at a resolution, with the training crop and augmentation
// (or the validation centre crop), `concurrency` decodes in flight. Platform-neutral (only
// performance.now), so the same function measures createImageBitmap in the browser worker and the
// pure-JS decoder in Node.
import { createRng } from '../../rng.ts';
import type { ImageDecoder } from '../images/decode.ts';
import { centreCrop, DEFAULT_AUGMENT, drawPixelAugment, finishImage, randomResizedCrop, VAL_CROP_FRACTION, type AugmentConfig } from './augment.ts';

export interface ThroughputOptions {
  /** Output side in pixels. */
  resolution: number;
  /** Training augmentation (RandomResizedCrop, flip, jitter) or null for the validation centre crop. */
  augment?: AugmentConfig | null;
  /** Decodes in flight at once (default 8). */
  concurrency?: number;
  /** Decode at least this many images (cycling through `images`; default images.length). */
  minImages?: number;
  /** And keep going until this many milliseconds have passed (default 0). */
  minMs?: number;
  seed?: number;
}

export interface ThroughputResult {
  decoder: string;
  resolution: number;
  images: number;
  failed: number;
  seconds: number;
  imagesPerSecond: number;
  /** Encoded megabytes per second consumed. */
  encodedMBPerSecond: number;
}

export async function measureDecodeThroughput(decoder: ImageDecoder, images: readonly { bytes: Uint8Array; ext: string }[], o: ThroughputOptions): Promise<ThroughputResult> {
  if (images.length === 0) throw new Error('measureDecodeThroughput: no images');
  const R = o.resolution;
  const augment = o.augment === undefined ? DEFAULT_AUGMENT : o.augment;
  const concurrency = Math.max(1, o.concurrency ?? 8);
  const minImages = o.minImages ?? images.length;
  const minMs = o.minMs ?? 0;
  const rng = createRng(o.seed ?? 0);
  const out = new Float32Array(concurrency * R * R * 3);
  let done = 0;
  let failed = 0;
  let bytes = 0;
  const t0 = performance.now();
  while (done + failed < minImages || performance.now() - t0 < minMs) {
    const batch = Array.from({ length: concurrency }, (_, k) => images[(done + failed + k) % images.length]);
    const results = await Promise.all(
      batch.map(async (img, k) => {
        const choose = augment ? (w: number, h: number) => randomResizedCrop(w, h, rng, augment.scale, augment.ratio) : (w: number, h: number) => centreCrop(w, h, VAL_CROP_FRACTION);
        try {
          const d = await decoder.decode(img.bytes, img.ext, choose, R, R);
          finishImage(d, augment ? drawPixelAugment(augment, rng) : null, out, k * R * R * 3);
          bytes += img.bytes.length;
          return true;
        } catch {
          return false;
        }
      }),
    );
    for (const ok of results) ok ? done++ : failed++;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { decoder: decoder.name, resolution: R, images: done, failed, seconds, imagesPerSecond: done / seconds, encodedMBPerSecond: bytes / 1e6 / seconds };
}
