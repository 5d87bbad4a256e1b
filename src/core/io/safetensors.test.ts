import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, looksLikeSafetensors } from './safetensors.ts';

function header(bytes: Uint8Array): { n: number; json: Record<string, unknown> } {
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  return { n, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown> };
}

describe('safetensors', () => {
  const content = {
    metadata: { recipe: '{"a":1}' },
    tensors: [
      { name: 'a.w', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, Number.NaN, 0, -0]) },
      { name: 'b', shape: [1], data: Float32Array.from([7]) },
    ],
  };

  it('lays out the documented bytes: u64 LE header length, padded JSON, LE float32 in order', () => {
    const bytes = encodeSafetensors(content);
    const { n, json } = header(bytes);
    expect(n % 8).toBe(0);
    expect(json['a.w']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(json.b).toEqual({ dtype: 'F32', shape: [1], data_offsets: [24, 28] });
    expect(json.__metadata__).toEqual({ recipe: '{"a":1}' });
    expect(bytes.length).toBe(8 + n + 28);
    const view = new DataView(bytes.buffer);
    expect(view.getFloat32(8 + n + 8, true)).toBe(3.5);
    expect(view.getFloat32(8 + n + 24, true)).toBe(7);
    expect(looksLikeSafetensors(bytes)).toBe(true);
  });

  it('round-trips bit for bit, NaN and -0 included', () => {
    const back = decodeSafetensors(encodeSafetensors(content));
    expect(back.metadata).toEqual(content.metadata);
    expect(back.tensors.map((t) => t.name)).toEqual(['a.w', 'b']);
    expect([...new Uint32Array(back.tensors[0].data.buffer)]).toEqual([...new Uint32Array(content.tensors[0].data.buffer)]);
  });

  it('refuses damaged files naming the source and the problem', () => {
    const bytes = encodeSafetensors(content);
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4), 'x.safetensors')).toThrow(/x\.safetensors: tensor "b": data \[24,28\] runs past/);
    expect(() => decodeSafetensors(bytes.subarray(0, 20), 'x.safetensors')).toThrow(/header length \d+ runs past/);
    const extra = new Uint8Array(bytes.length + 4);
    extra.set(bytes);
    expect(() => decodeSafetensors(extra, 'y')).toThrow(/y: tensors cover 28 of 32 data bytes/);
    expect(looksLikeSafetensors(new TextEncoder().encode('ISONASCK........'))).toBe(false);
  });
});
