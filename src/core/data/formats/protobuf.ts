// tf.train.Example decoded by hand (no protobuf library): varints, length-delimited fields,
// fixed32/fixed64 skipped. Example.features = 1 -> Features.feature map<string, Feature> = 1
// (entry key = 1, value = 2) -> Feature: bytes_list = 1, float_list = 2, int64_list = 3, each with
// repeated `value` = 1, packed or not. Unknown fields are skipped.

export class ProtoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoError';
  }
}

export type Feature =
  | { kind: 'bytes'; values: Uint8Array[] }
  | { kind: 'float'; values: number[] }
  | { kind: 'int64'; values: number[] };

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

/** Cursor over one message's bytes [pos, end). */
class Cursor {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  /**
   * A varint as a JS number: exact for |v| < 2^53. Ten-byte encodings of negative int64 (two's
   * complement) come back negative.
   */
  varint(): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError('varint runs past the end of the message');
      const b = this.buf[this.pos++];
      const bits = b & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (shift - 32);
      if ((b & 0x80) === 0) {
        lo >>>= 0;
        if (hi & 0x80000000) return -((~hi >>> 0) * 4294967296 + (~lo >>> 0) + 1);
        return (hi >>> 0) * 4294967296 + lo;
      }
      shift += 7;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  tag(): { field: number; wire: number } {
    const t = this.varint();
    if (t <= 0) throw new ProtoError(`invalid field tag ${t}`);
    return { field: Math.floor(t / 8), wire: t & 7 };
  }

  /** A length-delimited field: a sub-cursor over its bytes. */
  sub(): Cursor {
    const len = this.varint();
    if (len < 0 || this.pos + len > this.end) throw new ProtoError(`length-delimited field of ${len} bytes runs past the end of the message`);
    const c = new Cursor(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return c;
  }

  bytes(): Uint8Array {
    const c = this.sub();
    return this.buf.subarray(c.pos, c.end);
  }

  float32(): number {
    if (this.pos + 4 > this.end) throw new ProtoError('float runs past the end of the message');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.sub();
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      default:
        throw new ProtoError(`unsupported wire type ${wire}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new ProtoError('fixed-width field runs past the end of the message');
    this.pos += n;
  }
}

function expectWire(field: string, wire: number, want: number): void {
  if (wire !== want) throw new ProtoError(`${field} has wire type ${wire}, expected ${want}`);
}

function bytesList(c: Cursor): Feature {
  const values: Uint8Array[] = [];
  while (!c.done) {
    const { field, wire } = c.tag();
    if (field === 1) {
      expectWire('BytesList.value', wire, WIRE_LEN);
      values.push(c.bytes());
    } else c.skip(wire);
  }
  return { kind: 'bytes', values };
}

function floatList(c: Cursor): Feature {
  const values: number[] = [];
  while (!c.done) {
    const { field, wire } = c.tag();
    if (field === 1 && wire === WIRE_LEN) {
      const p = c.sub();
      if ((p.end - p.pos) % 4 !== 0) throw new ProtoError('packed FloatList length is not a multiple of 4');
      while (!p.done) values.push(p.float32());
    } else if (field === 1 && wire === WIRE_I32) values.push(c.float32());
    else if (field === 1) throw new ProtoError(`FloatList.value has wire type ${wire}`);
    else c.skip(wire);
  }
  return { kind: 'float', values };
}

function int64List(c: Cursor): Feature {
  const values: number[] = [];
  while (!c.done) {
    const { field, wire } = c.tag();
    if (field === 1 && wire === WIRE_LEN) {
      const p = c.sub();
      while (!p.done) values.push(p.varint());
    } else if (field === 1 && wire === WIRE_VARINT) values.push(c.varint());
    else if (field === 1) throw new ProtoError(`Int64List.value has wire type ${wire}`);
    else c.skip(wire);
  }
  return { kind: 'int64', values };
}

function feature(c: Cursor): Feature | null {
  let out: Feature | null = null;
  while (!c.done) {
    const { field, wire } = c.tag();
    if (field >= 1 && field <= 3) {
      expectWire('Feature.kind', wire, WIRE_LEN);
      const s = c.sub();
      out = field === 1 ? bytesList(s) : field === 2 ? floatList(s) : int64List(s);
    } else c.skip(wire);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8');

/** Feature map of a serialized tf.train.Example; byte values are views into `data`. */
export function decodeExample(data: Uint8Array): Map<string, Feature> {
  const out = new Map<string, Feature>();
  const ex = new Cursor(data, 0, data.length);
  while (!ex.done) {
    const { field, wire } = ex.tag();
    if (field !== 1) {
      ex.skip(wire);
      continue;
    }
    expectWire('Example.features', wire, WIRE_LEN);
    const feats = ex.sub();
    while (!feats.done) {
      const t = feats.tag();
      if (t.field !== 1) {
        feats.skip(t.wire);
        continue;
      }
      expectWire('Features.feature', t.wire, WIRE_LEN);
      const entry = feats.sub();
      let key = '';
      let value: Feature | null = null;
      while (!entry.done) {
        const e = entry.tag();
        if (e.field === 1) {
          expectWire('feature map key', e.wire, WIRE_LEN);
          key = utf8.decode(entry.bytes());
        } else if (e.field === 2) {
          expectWire('feature map value', e.wire, WIRE_LEN);
          value = feature(entry.sub());
        } else entry.skip(e.wire);
      }
      if (value) out.set(key, value);
    }
  }
  return out;
}
