import { describe, expect, it } from 'vitest';
import { jsImageDecoder } from '../../platform/jsDecoder.ts';
import { jpegBytes } from '../fixtures/images.ts';
import { measureDecodeThroughput } from './throughput.ts';

describe('measureDecodeThroughput (for the benchmark; nothing timed is asserted)', () => {
  it('decodes at least minImages, counts failures, and reports a rate', async () => {
    const good = { bytes: jpegBytes(24, 18, (x, y) => [x * 10, y * 10, 100]), ext: 'jpg' };
    const bad = { bytes: new Uint8Array([1, 2, 3]), ext: 'jpg' };
    const r = await measureDecodeThroughput(jsImageDecoder, [good, good, bad], { resolution: 8, minImages: 9, concurrency: 3 });
    expect(r.images).toBe(6);
    expect(r.failed).toBe(3);
    expect(r.decoder).toBe('jpeg-js/fast-png');
    expect(r.imagesPerSecond).toBeGreaterThan(0);
    expect(r.encodedMBPerSecond).toBeGreaterThan(0);
    const v = await measureDecodeThroughput(jsImageDecoder, [good], { resolution: 4, augment: null, minImages: 2 });
    expect(v.images).toBeGreaterThanOrEqual(2);
    await expect(measureDecodeThroughput(jsImageDecoder, [], { resolution: 4 })).rejects.toThrow(/no images/);
  });
});
