// Versioned binary checkpoint blob: JSON metadata plus named float32 tensors. Independent of the
// model: the trainer decides what goes into `meta` (recipe, step, rng state, ...) and which
// tensors to store; this file only turns that content into bytes and back, and refuses anything
// it cannot vouch for.
//
// Layout (all integers u32 little-endian; offsets in bytes from the start of the blob):
//    0  magic            8 bytes ASCII "ISONASCK"
//    8  version          CHECKPOINT_VERSION
//   12  headerLength     byte length H of the UTF-8 JSON header
//   16  totalLength      byte length of the whole blob, CRC included (truncation check)
//   20  header           UTF-8 JSON {meta, tensors: [{name, shape, offset, length}]}
//                        offset and length count float32 elements from the start of the data
//   20+H padding         zero bytes up to the next multiple of 4
//   D   data             raw float32 little-endian, D = align4(20 + H)
//   T-4 crc32            CRC-32 (IEEE 802.3, as zlib / PNG) of bytes [0, T-4), T = totalLength
//
// decode checks, in this order: magic, version, length (truncated / trailing bytes), CRC,
// header structure, tensor extents, shape product, duplicate names. The version is checked before
// anything else about the layout, because another version may lay the rest out differently.

import { checkJsonDepth } from '../limits.ts';

export const CHECKPOINT_MAGIC = 'ISONASCK';
export const CHECKPOINT_VERSION = 1;

/** Byte length of the fixed header (magic, version, headerLength, totalLength). */
const FIXED_HEADER_BYTES = 20;
const CRC_BYTES = 4;

export interface CheckpointTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface CheckpointContent {
  /** JSON-safe metadata (recipe, step, rng state, ...). Round-trips through JSON. */
  meta: unknown;
  tensors: CheckpointTensor[];
}

/** Why a checkpoint was refused; `message` says the same in words, naming the source. */
export type CheckpointErrorCode =
  | 'bad-magic'
  | 'version'
  | 'truncated'
  | 'trailing-bytes'
  | 'crc'
  | 'header'
  | 'extent'
  | 'shape'
  | 'duplicate'
  | 'invalid-content'
  | 'non-finite';

export class CheckpointError extends Error {
  constructor(
    message: string,
    /** Machine-readable reason. */
    readonly code: CheckpointErrorCode = 'header',
    /** The file name (or other label) the bytes came from. */
    readonly source: string = 'checkpoint',
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}

// ---- CRC-32 -----------------------------------------------------------------------------------

let crcTable: Uint32Array | null = null;

/** Reflected CRC-32 table for polynomial 0xEDB88320, built on first use. */
function getCrcTable(): Uint32Array {
  if (crcTable) return crcTable;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  crcTable = t;
  return t;
}

/** CRC-32 (IEEE, as zlib's crc32(bytes, prev)) of `bytes`, continuing `prev`, as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array, prev = 0): number {
  const t = getCrcTable();
  let c = (prev ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---- Helpers ----------------------------------------------------------------------------------

function align4(n: number): number {
  return (n + 3) & ~3;
}

function isNonNegativeInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function shapeSize(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function describeShape(shape: number[]): string {
  return `[${shape.join(', ')}]`;
}

// ---- Encode -----------------------------------------------------------------------------------

/**
 * Serialise `c` into a new blob. Throws CheckpointError('invalid-content') when a tensor name is
 * empty or repeated, a shape is not a list of non-negative integers, a shape's product differs
 * from the data length, or `meta` cannot be written as JSON. `meta: undefined` is stored as null.
 */
export function encodeCheckpoint(c: CheckpointContent): Uint8Array {
  const fail = (msg: string): never => {
    throw new CheckpointError(`encodeCheckpoint: ${msg}`, 'invalid-content', 'encodeCheckpoint');
  };
  const seen = new Set<string>();
  const entries: Array<{ name: string; shape: number[]; offset: number; length: number }> = [];
  let offset = 0;
  for (const t of c.tensors) {
    if (typeof t.name !== 'string' || t.name.length === 0) fail('tensor names must be non-empty strings');
    if (seen.has(t.name)) fail(`duplicate tensor name "${t.name}"`);
    seen.add(t.name);
    if (!(t.data instanceof Float32Array)) fail(`tensor "${t.name}": data must be a Float32Array`);
    if (!Array.isArray(t.shape) || !t.shape.every(isNonNegativeInt)) {
      fail(`tensor "${t.name}": shape must be an array of non-negative integers`);
    }
    if (shapeSize(t.shape) !== t.data.length) {
      fail(`tensor "${t.name}": shape ${describeShape(t.shape)} has ${shapeSize(t.shape)} elements but data has ${t.data.length}`);
    }
    entries.push({ name: t.name, shape: [...t.shape], offset, length: t.data.length });
    offset += t.data.length;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify({ meta: c.meta === undefined ? null : c.meta, tensors: entries });
  } catch (e) {
    fail(`meta is not JSON-serialisable (${(e as Error).message})`);
  }
  const header = new TextEncoder().encode(json as string);
  const dataStart = align4(FIXED_HEADER_BYTES + header.length);
  const totalLength = dataStart + offset * 4 + CRC_BYTES;
  if (totalLength > 0xffffffff) fail(`blob of ${totalLength} bytes exceeds the 4 GiB format limit`);

  const out = new Uint8Array(totalLength); // zero-filled: the padding is zero
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = CHECKPOINT_MAGIC.charCodeAt(i);
  view.setUint32(8, CHECKPOINT_VERSION, true);
  view.setUint32(12, header.length, true);
  view.setUint32(16, totalLength, true);
  out.set(header, FIXED_HEADER_BYTES);
  // Copy float32 bit patterns through Uint32 so NaN payloads survive untouched (a round trip via
  // a JS number may canonicalise NaN); setUint32(.., true) makes the byte order little-endian.
  let pos = dataStart;
  for (const t of c.tensors) {
    const bits = new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length);
    for (let i = 0; i < bits.length; i++, pos += 4) view.setUint32(pos, bits[i], true);
  }
  view.setUint32(totalLength - CRC_BYTES, crc32(out.subarray(0, totalLength - CRC_BYTES)), true);
  return out;
}

// ---- Decode -----------------------------------------------------------------------------------

/**
 * Parse a blob made by encodeCheckpoint. `source` (a file name) is named in every error message.
 * Throws CheckpointError with a code: bad-magic, version, truncated, trailing-bytes, crc, header,
 * extent, shape, duplicate. The returned tensors own fresh buffers (no aliasing of `bytes`).
 */
export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): CheckpointContent {
  const fail = (code: CheckpointErrorCode, msg: string): never => {
    throw new CheckpointError(`${source}: ${msg}`, code, source);
  };
  if (!(bytes instanceof Uint8Array)) fail('header', 'expected a Uint8Array');
  const n = bytes.length;

  // Magic. A short blob that is a prefix of the magic is a truncated checkpoint, not a stranger.
  const magicLen = Math.min(n, 8);
  for (let i = 0; i < magicLen; i++) {
    if (bytes[i] !== CHECKPOINT_MAGIC.charCodeAt(i)) {
      fail('bad-magic', `not an isonas checkpoint (bad magic: expected "${CHECKPOINT_MAGIC}")`);
    }
  }
  if (n < 12) fail('truncated', `truncated: expected at least ${FIXED_HEADER_BYTES} bytes, got ${n}`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION) {
    fail('version', `checkpoint version ${version} is not supported by this build (version ${CHECKPOINT_VERSION})`);
  }
  if (n < FIXED_HEADER_BYTES) fail('truncated', `truncated: expected at least ${FIXED_HEADER_BYTES} bytes, got ${n}`);
  const headerLength = view.getUint32(12, true);
  const totalLength = view.getUint32(16, true);
  if (totalLength < FIXED_HEADER_BYTES + CRC_BYTES) {
    fail('header', `malformed header: total length ${totalLength} is below the minimum ${FIXED_HEADER_BYTES + CRC_BYTES}`);
  }
  if (n < totalLength) fail('truncated', `truncated: expected ${totalLength} bytes, got ${n}`);
  if (n > totalLength) fail('trailing-bytes', `expected ${totalLength} bytes, got ${n} (${n - totalLength} trailing bytes)`);

  const crcPos = totalLength - CRC_BYTES;
  const stored = view.getUint32(crcPos, true);
  const actual = crc32(bytes.subarray(0, crcPos));
  if (stored !== actual) {
    fail('crc', `corrupted: CRC-32 mismatch (stored 0x${hex32(stored)}, computed 0x${hex32(actual)})`);
  }

  // Header: the CRC matched, so anything wrong from here on was written wrong, not damaged.
  const dataStart = align4(FIXED_HEADER_BYTES + headerLength);
  if (dataStart > crcPos) {
    fail('header', `malformed header: header length ${headerLength} runs past the end of the blob (${totalLength} bytes)`);
  }
  const dataBytes = crcPos - dataStart;
  if (dataBytes % 4 !== 0) fail('header', `malformed header: data section of ${dataBytes} bytes is not a whole number of float32`);
  const dataElems = dataBytes / 4;

  let parsed: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + headerLength));
    checkJsonDepth(text, 'header');
    parsed = JSON.parse(text);
  } catch (e) {
    fail('header', `malformed header: not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail('header', 'malformed header: expected a JSON object {meta, tensors}');
  }
  const head = parsed as Record<string, unknown>;
  if (!('meta' in head)) fail('header', 'malformed header: missing "meta"');
  if (!Array.isArray(head.tensors)) fail('header', 'malformed header: "tensors" must be an array');

  const tensors: CheckpointTensor[] = [];
  const seen = new Set<string>();
  (head.tensors as unknown[]).forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) fail('header', `malformed header: tensor entry ${i} is not an object`);
    const e = raw as Record<string, unknown>;
    if (typeof e.name !== 'string' || e.name.length === 0) fail('header', `malformed header: tensor entry ${i} has no name`);
    const name = e.name as string;
    if (!Array.isArray(e.shape) || !e.shape.every(isNonNegativeInt)) {
      fail('header', `malformed header: tensor "${name}" shape must be an array of non-negative integers`);
    }
    if (!isNonNegativeInt(e.offset) || !isNonNegativeInt(e.length)) {
      fail('header', `malformed header: tensor "${name}" offset and length must be non-negative integers`);
    }
    const shape = e.shape as number[];
    const offset = e.offset as number;
    const length = e.length as number;
    if (offset + length > dataElems) {
      fail('extent', `tensor "${name}" extent [${offset}, ${offset + length}) is out of range (data holds ${dataElems} float32)`);
    }
    if (shapeSize(shape) !== length) {
      fail('shape', `tensor "${name}" shape ${describeShape(shape)} has ${shapeSize(shape)} elements but length is ${length}`);
    }
    if (seen.has(name)) fail('duplicate', `duplicate tensor name "${name}"`);
    seen.add(name);
    const data = new Float32Array(length);
    const bits = new Uint32Array(data.buffer);
    let pos = dataStart + offset * 4;
    for (let k = 0; k < length; k++, pos += 4) bits[k] = view.getUint32(pos, true);
    tensors.push({ name, shape: [...shape], data });
  });
  return { meta: head.meta, tensors };
}

function hex32(x: number): string {
  return x.toString(16).padStart(8, '0');
}
