import { describe, expect, it } from 'vitest';
import {
  CHECKPOINT_MAGIC,
  CHECKPOINT_VERSION,
  CheckpointError,
  crc32,
  decodeCheckpoint,
  encodeCheckpoint,
  type CheckpointContent,
  type CheckpointErrorCode,
} from './checkpointCodec';

const FIXED = 20; // magic 8 + version 4 + headerLength 4 + totalLength 4

/** Float32Array from raw uint32 bit patterns (exact, including NaN payloads). */
function fromBits(bits: number[]): Float32Array {
  return new Float32Array(new Uint32Array(bits).buffer);
}

function bitsOf(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

function sample(): CheckpointContent {
  const special = fromBits([
    0x7fc00000, // canonical quiet NaN
    0xffc00001, // negative NaN with a payload
    0x7fa00005, // signalling NaN with a payload
    0x80000000, // -0
    0x00000001, // smallest positive denormal
    0x807fffff, // largest negative denormal
    0x7f800000, // +Inf
    0xff800000, // -Inf
    0x7f7fffff, // max float
    0x3f800000, // 1
  ]);
  const big = new Float32Array(3 * 4 * 5);
  for (let i = 0; i < big.length; i++) big[i] = Math.sin(i) * 1e3;
  return {
    meta: {
      recipe: { space: 'bnnas-mbv2', lrPerStep: 0.1, seeds: [1, 2, 3] },
      step: 1234,
      rngState: [4294967295, 1, 2, 3, 1, -0.5],
      note: 'ünïcödé ✓ \u{1F600}',
      nothing: null,
      flags: [true, false],
    },
    tensors: [
      { name: 'L0.bn1.gamma', shape: [10], data: special },
      { name: 'L0.bn1.beta', shape: [3, 4, 5], data: big },
      { name: 'scalar', shape: [], data: new Float32Array([42]) },
      { name: 'empty', shape: [0, 7], data: new Float32Array(0) },
      { name: 'odd', shape: [3], data: new Float32Array([1.5, -2.25, 3e-39]) },
    ],
  };
}

/** Decode and return the CheckpointError it throws (fails the test if it does not throw one). */
function refusal(bytes: Uint8Array, source = 'run7.ckpt'): CheckpointError {
  try {
    decodeCheckpoint(bytes, source);
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    const err = e as CheckpointError;
    expect(err.message).toContain(source);
    expect(err.source).toBe(source);
    return err;
  }
  throw new Error('decodeCheckpoint accepted a blob it should refuse');
}

function expectRefused(bytes: Uint8Array, code: CheckpointErrorCode, text: string | RegExp): void {
  const err = refusal(bytes);
  expect(err.code).toBe(code);
  if (typeof text === 'string') expect(err.message).toContain(text);
  else expect(err.message).toMatch(text);
}

/** Build a blob with an arbitrary header/data, a correct CRC and total length (for header tests). */
function rawBlob(header: unknown, data: Float32Array, opts: { version?: number; headerText?: string } = {}): Uint8Array {
  const headerBytes = new TextEncoder().encode(opts.headerText ?? JSON.stringify(header));
  const dataStart = (FIXED + headerBytes.length + 3) & ~3;
  const total = dataStart + data.byteLength + 4;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = CHECKPOINT_MAGIC.charCodeAt(i);
  v.setUint32(8, opts.version ?? CHECKPOINT_VERSION, true);
  v.setUint32(12, headerBytes.length, true);
  v.setUint32(16, total, true);
  out.set(headerBytes, FIXED);
  for (let i = 0; i < data.length; i++) v.setFloat32(dataStart + 4 * i, data[i], true);
  v.setUint32(total - 4, crc32(out.subarray(0, total - 4)), true);
  return out;
}

/** Recompute the trailing CRC after an edit (so later checks, not the CRC, see the edit). */
function reseal(bytes: Uint8Array): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  v.setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
  return bytes;
}

describe('crc32', () => {
  it('matches the IEEE check value and other known answers', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
});

describe('encodeCheckpoint / decodeCheckpoint', () => {
  it('round-trips meta (deep-equal) and tensors (bit-identical, incl. NaN payloads, -0, denormals)', () => {
    const c = sample();
    const bytes = encodeCheckpoint(c);
    const d = decodeCheckpoint(bytes, 'x.ckpt');
    expect(d.meta).toEqual(c.meta);
    expect(d.tensors.map((t) => t.name)).toEqual(c.tensors.map((t) => t.name));
    d.tensors.forEach((t, i) => {
      expect(t.shape).toEqual(c.tensors[i].shape);
      expect(t.data).toBeInstanceOf(Float32Array);
      expect(bitsOf(t.data)).toEqual(bitsOf(c.tensors[i].data));
    });
    // Decoding copies: the result does not alias the blob.
    bytes.fill(0);
    expect(bitsOf(d.tensors[0].data)).toEqual(bitsOf(c.tensors[0].data));
  });

  it('writes the documented layout', () => {
    const bytes = encodeCheckpoint(sample());
    const v = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('ISONASCK');
    expect(v.getUint32(8, true)).toBe(1);
    const headerLength = v.getUint32(12, true);
    expect(v.getUint32(16, true)).toBe(bytes.length);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(FIXED, FIXED + headerLength)));
    expect(header.tensors[1]).toEqual({ name: 'L0.bn1.beta', shape: [3, 4, 5], offset: 10, length: 60 });
    const dataStart = (FIXED + headerLength + 3) & ~3;
    expect(dataStart % 4).toBe(0);
    expect(bytes.length).toBe(dataStart + 4 * (10 + 60 + 1 + 0 + 3) + 4);
    // Little-endian float32 data: tensor 2 ('scalar' = 42) at element offset 70.
    expect(v.getFloat32(dataStart + 4 * 70, true)).toBe(42);
    expect(v.getUint32(bytes.length - 4, true)).toBe(crc32(bytes.subarray(0, bytes.length - 4)));
  });

  it('round-trips empty content, undefined meta (as null) and Float32Array views with an offset', () => {
    expect(decodeCheckpoint(encodeCheckpoint({ meta: {}, tensors: [] }))).toEqual({ meta: {}, tensors: [] });
    expect(decodeCheckpoint(encodeCheckpoint({ meta: undefined, tensors: [] })).meta).toBeNull();
    const backing = new Float32Array([9, 8, 7, 6, 5]);
    const view = backing.subarray(2, 4);
    const d = decodeCheckpoint(encodeCheckpoint({ meta: 1, tensors: [{ name: 'v', shape: [2, 1], data: view }] }));
    expect(Array.from(d.tensors[0].data)).toEqual([7, 6]);
  });

  it('decodes a blob that sits at an unaligned offset inside a larger buffer', () => {
    const bytes = encodeCheckpoint(sample());
    const host = new Uint8Array(bytes.length + 3);
    host.set(bytes, 3);
    const d = decodeCheckpoint(host.subarray(3));
    expect(bitsOf(d.tensors[0].data)).toEqual(bitsOf(sample().tensors[0].data));
  });

  it('refuses to encode invalid content', () => {
    const data = new Float32Array(4);
    const bad: CheckpointContent[] = [
      { meta: null, tensors: [{ name: 'a', shape: [3], data }] },
      { meta: null, tensors: [{ name: 'a', shape: [4], data }, { name: 'a', shape: [2, 2], data }] },
      { meta: null, tensors: [{ name: '', shape: [4], data }] },
      { meta: null, tensors: [{ name: 'a', shape: [-4, -1], data }] },
      { meta: { big: BigInt(1) }, tensors: [] },
    ];
    for (const c of bad) expect(() => encodeCheckpoint(c)).toThrow(CheckpointError);
  });
});

describe('decodeCheckpoint refusals', () => {
  const good = encodeCheckpoint(sample());

  it('bad magic: not a checkpoint', () => {
    const png = new Uint8Array(64);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expectRefused(png, 'bad-magic', 'not an isonas checkpoint');
    const b = good.slice();
    b[3] ^= 0x20;
    expectRefused(b, 'bad-magic', 'bad magic');
    expectRefused(new TextEncoder().encode('{"meta":1}'), 'bad-magic', 'not an isonas checkpoint');
  });

  it('another version, with the exact message', () => {
    const v2 = rawBlob({ meta: null, tensors: [] }, new Float32Array(0), { version: 2 });
    expectRefused(v2, 'version', 'checkpoint version 2 is not supported by this build (version 1)');
    // Also when version 2's blob is longer or shorter than version 1 would expect.
    const b = good.slice();
    new DataView(b.buffer).setUint32(8, 2, true);
    expectRefused(b.subarray(0, 30), 'version', 'checkpoint version 2 is not supported by this build (version 1)');
    new DataView(b.buffer).setUint32(8, 0, true);
    expectRefused(b, 'version', 'checkpoint version 0 is not supported');
  });

  it('truncated at several offsets, detected from the recorded total length', () => {
    const n = good.length;
    for (const cut of [0, 5, 8, 11, 16, 19]) {
      expectRefused(good.subarray(0, cut), 'truncated', `truncated: expected at least 20 bytes, got ${cut}`);
    }
    for (const cut of [20, 21, 40, Math.floor(n / 2), n - 5, n - 4, n - 1]) {
      expectRefused(good.subarray(0, cut), 'truncated', `truncated: expected ${n} bytes, got ${cut}`);
    }
  });

  it('trailing bytes', () => {
    const longer = new Uint8Array(good.length + 7);
    longer.set(good);
    expectRefused(longer, 'trailing-bytes', `expected ${good.length} bytes, got ${good.length + 7}`);
  });

  it('a flipped bit anywhere in the data, header or CRC: corrupted', () => {
    const v = new DataView(good.buffer);
    const headerLength = v.getUint32(12, true);
    const dataStart = (FIXED + headerLength + 3) & ~3;
    for (const pos of [dataStart, dataStart + 45, good.length - 5, FIXED + 3, good.length - 1]) {
      const b = good.slice();
      b[pos] ^= 0x10;
      expectRefused(b, 'crc', /corrupted: CRC-32 mismatch/);
    }
  });

  it('malformed header', () => {
    const empty = new Float32Array(0);
    expectRefused(rawBlob(null, empty, { headerText: '{"meta":1,"tensors":[' }), 'header', 'malformed header');
    expectRefused(rawBlob([1, 2], empty), 'header', 'malformed header');
    expectRefused(rawBlob({ tensors: [] }, empty), 'header', 'missing "meta"');
    expectRefused(rawBlob({ meta: 1, tensors: {} }, empty), 'header', '"tensors" must be an array');
    expectRefused(rawBlob({ meta: 1, tensors: [{ shape: [1], offset: 0, length: 1 }] }, new Float32Array(1)), 'header', 'no name');
    expectRefused(rawBlob({ meta: 1, tensors: [{ name: 'a', shape: [1.5], offset: 0, length: 1 }] }, new Float32Array(1)), 'header', 'shape');
    expectRefused(rawBlob({ meta: 1, tensors: [{ name: 'a', shape: [1], offset: -1, length: 1 }] }, new Float32Array(1)), 'header', 'offset');
    // Invalid UTF-8 in the header.
    const bad = rawBlob({ meta: 'xx', tensors: [] }, empty);
    bad[FIXED + 9] = 0xff;
    expectRefused(reseal(bad), 'header', 'not valid UTF-8 JSON');
    // Header length pointing past the end of the blob.
    const long = good.slice();
    new DataView(long.buffer).setUint32(12, long.length, true);
    expectRefused(reseal(long), 'header', 'runs past the end');
    // Total length below the fixed header + CRC.
    const tiny = good.slice();
    new DataView(tiny.buffer).setUint32(16, 10, true);
    expectRefused(tiny, 'header', 'total length 10');
  });

  it('tensor extents out of range', () => {
    const data = new Float32Array(6);
    expectRefused(rawBlob({ meta: 1, tensors: [{ name: 'a', shape: [7], offset: 0, length: 7 }] }, data), 'extent', 'tensor "a" extent [0, 7) is out of range');
    expectRefused(rawBlob({ meta: 1, tensors: [{ name: 'b', shape: [2], offset: 5, length: 2 }] }, data), 'extent', 'out of range');
  });

  it('shape product != length', () => {
    const data = new Float32Array(6);
    expectRefused(rawBlob({ meta: 1, tensors: [{ name: 'a', shape: [2, 2], offset: 0, length: 6 }] }, data), 'shape', 'tensor "a" shape [2, 2] has 4 elements but length is 6');
  });

  it('duplicate names', () => {
    const data = new Float32Array(6);
    const t = { name: 'w', shape: [3], length: 3 };
    expectRefused(rawBlob({ meta: 1, tensors: [{ ...t, offset: 0 }, { ...t, offset: 3 }] }, data), 'duplicate', 'duplicate tensor name "w"');
  });

  it('names a default source when none is given', () => {
    expect(() => decodeCheckpoint(new Uint8Array(3))).toThrow(/^checkpoint: not an isonas checkpoint/);
  });
});
