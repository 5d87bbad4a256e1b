// Test helpers for the worker's data code (Node): a fake ImageDecoder and small tar shards.
import type { CropRect, DecodedImage, ImageDecoder } from '../../core/data/images/decode.ts';
import { tarArchive, tarEntry } from '../../core/data/fixtures/tarWriter.ts';

const enc = new TextEncoder();

/**
 * A decoder for fake images: bytes [0xff, 0xd8, v, w, h] decode to a w x h image whose every
 * channel is v (alpha 255), cropped and resized by nearest neighbour (constant, so exact); any
 * other bytes are rejected. Counts the calls.
 */
export class FakeDecoder implements ImageDecoder {
  readonly name = 'fake';
  calls = 0;
  async decode(bytes: Uint8Array, _ext: string, chooseCrop: (w: number, h: number) => CropRect, outW: number, outH: number): Promise<DecodedImage> {
    this.calls++;
    await Promise.resolve();
    if (bytes.length < 5 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('corrupt image');
    const [v, w, h] = [bytes[2], bytes[3], bytes[4]];
    const c = chooseCrop(w, h);
    if (c.x < 0 || c.y < 0 || c.x + c.width > w || c.y + c.height > h) throw new Error('crop outside the image');
    const data = new Uint8ClampedArray(outW * outH * 4);
    for (let i = 0; i < outW * outH; i++) data.set([v, v, v, 255], i * 4);
    return { width: outW, height: outH, data };
  }
}

export const fakeImage = (value: number, w = 12, h = 10): Uint8Array => Uint8Array.from([0xff, 0xd8, value, w, h]);

/** A WebDataset tar: samples `key` with `.cls` = classIndex and `.jpg` = the given bytes. */
export function tarShard(samples: { key: string; cls: number; image: Uint8Array }[]): Uint8Array {
  return tarArchive(samples.flatMap((s) => [tarEntry(`${s.key}.cls`, enc.encode(String(s.cls))), tarEntry(`${s.key}.jpg`, s.image)]));
}
