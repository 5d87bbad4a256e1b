import { describe, expect, it } from 'vitest';
import { createRng } from '../../rng';
import { ByteReader, maybeGunzip, peekStream, StreamReadError } from './bytes';
import { crc32c, maskCrc } from '../formats/crc32c';
import { chunkedStream, concat, failingStream, gzip } from '../fixtures/streams';

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

describe('ByteReader', () => {
  it('reads exact counts and skips across random chunk boundaries', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = createRng(seed);
      const data = pattern(5000);
      const br = ByteReader.of(chunkedStream(data, rng, 1 + rng.int(300)));
      let pos = 0;
      while (pos < data.length) {
        const n = rng.int(700);
        if (rng.int(3) === 0) {
          const skipped = await br.skip(n);
          expect(skipped).toBe(Math.min(n, data.length - pos));
          pos += skipped;
        } else {
          const got = await br.read(n);
          expect(got).toEqual(data.subarray(pos, pos + Math.min(n, data.length - pos)));
          expect(got.byteOffset).toBe(0);
          expect(got.buffer.byteLength).toBe(got.length);
          pos += got.length;
        }
        expect(br.offset).toBe(pos);
      }
      expect(await br.atEnd()).toBe(true);
      expect((await br.read(10)).length).toBe(0);
    }
  });

  it('peeks without consuming', async () => {
    const br = ByteReader.of(chunkedStream(pattern(100), createRng(3), 7));
    expect(await br.peek(20)).toEqual(pattern(20));
    expect(await br.read(20)).toEqual(pattern(20));
    expect(br.offset).toBe(20);
  });

  it('keeps no more than one read plus one chunk', async () => {
    const data = pattern(1 << 20);
    const br = ByteReader.of(chunkedStream(data, createRng(4), 4096));
    while (!(await br.atEnd())) {
      await br.read(1000);
      await br.skip(50_000);
    }
    expect(br.maxBuffered).toBeLessThanOrEqual(1000 + 4096);
  });

  it('turns a failing stream into a StreamReadError with the offset', async () => {
    const br = ByteReader.of(failingStream(pattern(100), 'disk gone'));
    expect((await br.read(60)).length).toBe(60);
    await expect(br.read(60)).rejects.toThrow(StreamReadError);
    await expect(br.read(60)).resolves.toHaveLength(40);
  });
});

describe('peekStream and maybeGunzip', () => {
  it('peeks and still yields every byte', async () => {
    const data = pattern(3000);
    const { head, stream } = await peekStream(chunkedStream(data, createRng(5), 100), 512);
    expect(head).toEqual(data.subarray(0, 512));
    expect(await ByteReader.of(stream).read(5000)).toEqual(data);
  });

  it('decompresses gzip and passes other bytes through', async () => {
    const data = pattern(20_000);
    const gz = await gzip(data);
    const a = await maybeGunzip(chunkedStream(gz, createRng(6), 50));
    expect(a.gzip).toBe(true);
    expect(await ByteReader.of(a.stream).read(30_000)).toEqual(data);
    const b = await maybeGunzip(chunkedStream(data, createRng(7), 50));
    expect(b.gzip).toBe(false);
    expect(await ByteReader.of(b.stream).read(30_000)).toEqual(data);
    expect(concat([gz.subarray(0, 2)])).toEqual(new Uint8Array([0x1f, 0x8b]));
  });
});

describe('CRC-32C', () => {
  it('matches the check value and a bitwise reference', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    const rng = createRng(8);
    for (const n of [1, 7, 8, 9, 63, 1000]) {
      const d = new Uint8Array(n).map(() => rng.int(256));
      let c = 0xffffffff;
      for (const b of d) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      expect(crc32c(d)).toBe((c ^ 0xffffffff) >>> 0);
    }
  });

  it('masks as TFRecord does', () => {
    const crc = 0xe3069283;
    expect(maskCrc(crc)).toBe(((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) % 2 ** 32);
  });
});
