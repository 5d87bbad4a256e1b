// Decode throughput of the benchmark: the data pipeline's own measure
// (src/core/data/pipeline/throughput.ts: decode + RandomResizedCrop + augmentation into the training
// layout) over a set of generated JPEGs of ImageNet-like size, with the platform's decoder
// (createImageBitmap in the browser worker, the pure-JS decoder in Node). No Node APIs.
import type { ImageDecoder } from '../src/core/data/images/decode.ts';
import { measureDecodeThroughput } from '../src/core/data/pipeline/throughput.ts';
import type { DecodeTiming } from './extras.ts';

/** Generated test images: `count` distinct JPEGs of width x height (about ImageNet's mean size). */
export const DECODE_IMAGES = { count: 8, width: 500, height: 375, quality: 90 };

/** A smooth colour pattern that differs per image (so no two JPEGs are alike). */
export function decodePixel(i: number): (x: number, y: number) => [number, number, number] {
  return (x, y) => [(x * (3 + i) + y) & 255, (y * (5 + i) - x) & 255, ((x ^ y) + 16 * i) & 255];
}

export async function timeDecode(decoder: ImageDecoder, jpegs: readonly Uint8Array[], resolution: number, minImages = 32): Promise<DecodeTiming> {
  const r = await measureDecodeThroughput(decoder, jpegs.map((bytes) => ({ bytes, ext: 'jpg' })), { resolution, minImages });
  if (r.failed > 0) throw new Error(`${r.failed} of ${r.failed + r.images} generated JPEGs failed to decode with ${r.decoder}`);
  return { decoder: `${r.decoder} (${DECODE_IMAGES.width}x${DECODE_IMAGES.height} JPEG -> ${resolution} px, train augmentation)`, images: r.images, ms: r.seconds * 1000, imagesPerSecond: r.imagesPerSecond };
}
