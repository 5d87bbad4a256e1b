import { describe, expect, it } from 'vitest';
import { blobFile, bytesFile, fileLikeStream, readWhole, type FileLike } from './fileLike.ts';
import { collect } from '../fixtures/streams.ts';
import { tarArchive, tarEntry } from '../fixtures/tarWriter.ts';
import { readFileShard } from './readShard.ts';

const enc = new TextEncoder();

async function drain(s: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const r = s.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) return out;
    out.push(value);
  }
}

describe('FileLike', () => {
  it('streams slices of the chunk size, one at a time, and reads whole files', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    const f = bytesFile('x', bytes);
    const chunks = await drain(fileLikeStream(f, 300));
    expect(chunks.map((c) => c.length)).toEqual([300, 300, 300, 100]);
    expect(Array.from(chunks[3])).toEqual(Array.from(bytes.subarray(900)));
    expect(await readWhole(f)).toEqual(bytes);
    expect(new Uint8Array(await f.slice(995, 2000))).toEqual(bytes.subarray(995));
  });

  it('wraps a Blob / File', async () => {
    const bytes = Uint8Array.from({ length: 50 }, (_, i) => i);
    const blob = new Blob([bytes]);
    const f = blobFile({ name: 'b.tar', size: blob.size, slice: (a, b) => blob.slice(a, b) });
    expect([f.name, f.size]).toEqual(['b.tar', 50]);
    expect(new Uint8Array(await f.slice(10, 13))).toEqual(Uint8Array.from([10, 11, 12]));
  });

  it('a slice that rejects mid-file becomes a read-error issue; the samples before it are kept', async () => {
    const entries = Array.from({ length: 6 }, (_, k) => [tarEntry(`k${k}.cls`, enc.encode('1')), tarEntry(`k${k}.jpg`, new Uint8Array(2000).fill(0xd8))]).flat();
    const tar = tarArchive(entries);
    const inner = bytesFile('t.tar', tar);
    const f: FileLike = { name: 't.tar', size: tar.length, slice: (s, e) => (s >= 8192 ? Promise.reject(new Error('EIO: i/o error')) : inner.slice(s, e)) };
    const read = await readFileShard({ ...f, slice: (s, e) => f.slice(s, Math.min(e, s + 4096)) }, { file: 't.tar' });
    const got = await collect(read);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(6);
    expect(read.stats.issueCounts['read-error']).toBe(1);
    expect(read.stats.issues.find((i) => i.code === 'read-error')!.reason).toMatch(/^t\.tar, byte 8192: .*EIO: i\/o error/);
  });
});
