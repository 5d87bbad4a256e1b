// The safetensors format (Hugging Face): an 8-byte little-endian u64 header length H, H bytes of
// UTF-8 JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}},
// then the raw little-endian tensor bytes (offsets relative to the end of the header). The writer
// pads the header with spaces to a multiple of 8 (as the reference writer does) and lays tensors out
// in the order given. Only F32 and I32/I64 are read (the lab stores float32); names are unique.
// The Python side (python/isonas_torch/safetensors.py) reads and writes the same bytes.

export interface SafeTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsContent {
  /** `__metadata__`: string values only (the format's rule). */
  metadata: Record<string, string>;
  tensors: SafeTensor[];
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

const MAX_HEADER = 100 * 1024 * 1024;

/** True when the bytes start like a safetensors file (a sane header length, then '{'). */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  return n >= 2 && n <= MAX_HEADER && 8 + n <= bytes.length && bytes[8] === 0x7b;
}

export function encodeSafetensors(c: SafetensorsContent): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(c.metadata).length > 0) {
    for (const [k, v] of Object.entries(c.metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError(`safetensors: metadata "${k}" must be a string`);
    }
    header.__metadata__ = c.metadata;
  }
  let offset = 0;
  for (const t of c.tensors) {
    if (!t.name || t.name === '__metadata__' || t.name in header) throw new SafetensorsError(`safetensors: bad or duplicate tensor name "${t.name}"`);
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new SafetensorsError(`safetensors: tensor "${t.name}" shape [${t.shape}] has ${size} elements, data ${t.data.length}`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * size] };
    offset += 4 * size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const t of c.tensors) {
    const bits = new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length);
    for (let i = 0; i < bits.length; i++, pos += 4) view.setUint32(pos, bits[i], true);
  }
  return out;
}

/** Parse a safetensors file; every error names `source` and what is wrong. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsContent {
  const fail = (msg: string): never => {
    throw new SafetensorsError(`${source}: ${msg}`);
  };
  if (bytes.length < 8) fail(`truncated: ${bytes.length} bytes, a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > bytes.length) fail(`header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  let head: Record<string, unknown>;
  try {
    head = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch (e) {
    return fail(`header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof head !== 'object' || head === null || Array.isArray(head)) fail('header is not a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const tensors: SafeTensor[] = [];
  let covered = 0;
  for (const [name, raw] of Object.entries(head)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null) fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(raw as object)) {
        if (typeof v !== 'string') fail(`__metadata__ "${k}" is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor "${name}": bad shape`);
    const off = e.data_offsets as number[];
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && d >= 0) || off[1] < off[0]) fail(`tensor "${name}": bad data_offsets`);
    if (off[1] > dataLen) fail(`tensor "${name}": data [${off}] runs past the end of the data (${dataLen} bytes)`);
    const shape = e.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const width = e.dtype === 'F32' || e.dtype === 'I32' ? 4 : e.dtype === 'I64' ? 8 : fail(`tensor "${name}": dtype ${String(e.dtype)} is not supported (F32, I32, I64)`);
    if (off[1] - off[0] !== size * width) fail(`tensor "${name}": shape [${shape}] needs ${size * width} bytes, data_offsets hold ${off[1] - off[0]}`);
    const data = new Float32Array(size);
    let pos = dataStart + off[0];
    if (e.dtype === 'F32') {
      const bits = new Uint32Array(data.buffer);
      for (let i = 0; i < size; i++, pos += 4) bits[i] = view.getUint32(pos, true);
    } else if (e.dtype === 'I32') {
      for (let i = 0; i < size; i++, pos += 4) data[i] = view.getInt32(pos, true);
    } else {
      for (let i = 0; i < size; i++, pos += 8) data[i] = Number(view.getBigInt64(pos, true));
    }
    covered += off[1] - off[0];
    tensors.push({ name, shape: [...shape], data });
  }
  if (covered !== dataLen) fail(`tensors cover ${covered} of ${dataLen} data bytes (overlapping, gaps or trailing bytes)`);
  return { metadata, tensors };
}
