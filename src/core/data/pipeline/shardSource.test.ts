import { describe, expect, it } from 'vitest';
import { jsImageDecoder } from '../../platform/jsDecoder.ts';
import type { ImageDecoder } from '../images/decode.ts';
import { bytesFile } from '../open/fileLike.ts';
import { jpegBytes } from '../fixtures/images.ts';
import { tarArchive, tarEntry } from '../fixtures/tarWriter.ts';
import { selectClasses } from '../labels/labels.ts';
import type { DataIssue } from '../formats/shard.ts';
import type { Batch } from '../source.ts';
import { DEFAULT_AUGMENT, IMAGENET_MEAN, IMAGENET_STD } from './augment.ts';
import { fileInput, type ShardInput } from './inputs.ts';
import { DEFAULT_PIPELINE, ShardPipelineSource, type PipelineConfig } from './shardSource.ts';
import { isHeldOut } from './split.ts';

const enc = new TextEncoder();

interface Item {
  key: string;
  cls: number;
  image: Uint8Array;
}

function shard(name: string, items: readonly Item[]): ShardInput {
  const entries = items.flatMap((it) => [tarEntry(`${it.key}.cls`, enc.encode(String(it.cls))), tarEntry(`${it.key}.jpg`, it.image)]);
  return fileInput(bytesFile(name, tarArchive(entries)));
}

/** Fake image bytes that carry a sample id; the fake decoder paints it into R (high) and G (low). */
const idImage = (id: number) => new Uint8Array([0xff, 0xd8, 0xff, id >> 8, id & 0xff]);

function fakeDecoder(log: { calls: number } = { calls: 0 }): ImageDecoder {
  return {
    name: 'fake',
    decode(bytes, _ext, chooseCrop, w, h) {
      log.calls++;
      if (bytes[0] !== 0xff || bytes.length !== 5) return Promise.reject(new Error('garbage bytes'));
      const c = chooseCrop(120, 90);
      if (c.x < 0 || c.y < 0 || c.x + c.width > 120 || c.y + c.height > 90) return Promise.reject(new Error('crop outside'));
      const data = new Uint8ClampedArray(w * h * 4);
      for (let p = 0; p < w * h; p++) data.set([bytes[3], bytes[4], 0, 255], 4 * p);
      return Promise.resolve({ width: w, height: h, data });
    },
  };
}

/** The id painted into image i of a batch (no jitter), read back from the normalised floats. */
function idOf(b: Batch, i: number): number {
  const R = b.resolution;
  const px = (ch: number) => Math.round((b.images[i * R * R * 3 + ch] * IMAGENET_STD[ch] + IMAGENET_MEAN[ch]) * 255);
  return px(0) * 256 + px(1);
}

function idShards(numShards: number, perShard: number, classes = 10): { inputs: ShardInput[]; keyOf: Map<number, string> } {
  const keyOf = new Map<number, string>();
  const inputs = Array.from({ length: numShards }, (_, s) =>
    shard(
      `shard-${s}.tar`,
      Array.from({ length: perShard }, (_, k) => {
        const id = s * perShard + k;
        keyOf.set(id, `img${id}`);
        return { key: `img${id}`, cls: id % classes, image: idImage(id) };
      }),
    ),
  );
  return { inputs, keyOf };
}

const cfg = (o: Partial<PipelineConfig> = {}): PipelineConfig => ({ ...DEFAULT_PIPELINE, resolution: 4, seed: 1, ...o });

describe('ShardPipelineSource', () => {
  it('skips and counts a corrupt JPEG in the middle of a shard; images and labels stay paired (real JPEGs)', async () => {
    const items: Item[] = [0, 1, 2, 3, 4, 5].map((c) => ({ key: `n${c}`, cls: c, image: jpegBytes(12, 10, () => [40 * c, 100, 200 - 30 * c], 95) }));
    items[3] = { ...items[3], image: (() => { const b = items[3].image.slice(); b.fill(0x55, 20); return b; })() };
    const issues: DataIssue[] = [];
    const src = new ShardPipelineSource({ train: [shard('s.tar', items)], val: [] }, jsImageDecoder, cfg({ shuffleBuffer: 1, interleave: 1, prefetchBatches: 0, decodeConcurrency: 3, onIssue: (i) => issues.push(i) }));
    const b = await src.trainBatch(0, 5);
    expect(Array.from(b.labels)).toEqual([0, 1, 2, 4, 5]);
    for (let i = 0; i < 5; i++) {
      const r = (b.images[i * 48] * IMAGENET_STD[0] + IMAGENET_MEAN[0]) * 255;
      expect(Math.abs(r - 40 * b.labels[i])).toBeLessThan(12);
    }
    const st = src.stats.snapshot();
    expect(st.decoded).toBe(5);
    expect(st.decodeFailed).toBe(1);
    expect(st.issueCounts['undecodable-image']).toBe(1);
    expect(st.skipped).toBe(1);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 's.tar', code: 'undecodable-image', key: 'n3' });
    expect(issues[0].reason).toMatch(/^s\.tar, sample "n3": the image cannot be decoded \(jpeg-js\/fast-png\): /);
    // The run goes on: the next batch comes from the next pass.
    const b2 = await src.trainBatch(1, 5);
    expect(b2.size).toBe(5);
    await src.dispose();
  });

  it('interleaves shards, shuffles within a bounded buffer, and is deterministic per seed', async () => {
    const { inputs } = idShards(4, 30);
    const run = async (seed: number) => {
      const src = new ShardPipelineSource({ train: inputs, val: [] }, fakeDecoder(), cfg({ seed, shuffleBuffer: 8, interleave: 2, augment: null }));
      const ids: number[] = [];
      for (let s = 0; s < 10; s++) {
        const b = await src.trainBatch(s, 6);
        for (let i = 0; i < b.size; i++) ids.push(idOf(b, i));
      }
      const st = src.stats.snapshot();
      await src.dispose();
      return { ids, st };
    };
    const a = await run(1);
    expect((await run(1)).ids).toEqual(a.ids);
    expect((await run(2)).ids).not.toEqual(a.ids);
    // Two shards open at once: the first 12 ids come from exactly two shards.
    expect(new Set(a.ids.slice(0, 12).map((id) => Math.floor(id / 30))).size).toBe(2);
    // No id twice within the first pass (120 samples; 60 taken).
    expect(new Set(a.ids).size).toBe(a.ids.length);
    // Memory: samples held between reader and decoder <= shuffle buffer + decodes in flight + 1.
    expect(a.st.peakSamplesHeld).toBeLessThanOrEqual(8 + DEFAULT_PIPELINE.decodeConcurrency + 1);
    expect(a.st.shardsOpened).toBeGreaterThanOrEqual(2);
  });

  it('passes repeat with a new shard order; trainSize becomes the first pass count', async () => {
    const { inputs } = idShards(3, 5);
    const src = new ShardPipelineSource({ train: inputs, val: [] }, fakeDecoder(), cfg({ shuffleBuffer: 4, interleave: 1, augment: null, trainSizeHint: 999 }));
    expect(src.trainSize).toBe(999);
    const ids: number[] = [];
    for (let s = 0; s < 8; s++) {
      const b = await src.trainBatch(s, 5);
      for (let i = 0; i < b.size; i++) ids.push(idOf(b, i));
    }
    expect(src.trainSize).toBe(15);
    expect(src.stats.snapshot().epoch).toBeGreaterThanOrEqual(2);
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    await src.dispose();
  });

  it('prefetches a bounded number of batches while the current one trains', async () => {
    const { inputs } = idShards(2, 40);
    const log = { calls: 0 };
    const src = new ShardPipelineSource({ train: inputs, val: [] }, fakeDecoder(log), cfg({ prefetchBatches: 2, shuffleBuffer: 4 }));
    await src.trainBatch(0, 4);
    await new Promise((r) => setTimeout(r, 50)); // "training" while the pipeline works ahead
    expect(log.calls).toBe(3 * 4); // the batch taken + 2 prefetched, no more
    await src.trainBatch(1, 4);
    await new Promise((r) => setTimeout(r, 50));
    expect(log.calls).toBe(4 * 4);
    await src.dispose();
  });

  it('validation from separate shards: centre crops, fixed order, null at the end, repeatable', async () => {
    const { inputs } = idShards(1, 10);
    const val = [shard('val-0.tar', Array.from({ length: 7 }, (_, k) => ({ key: `v${k}`, cls: k, image: idImage(500 + k) })))];
    const src = new ShardPipelineSource({ train: inputs, val }, fakeDecoder(), cfg({ augment: DEFAULT_AUGMENT }));
    const read = async () => {
      const out: number[][] = [];
      for (let i = 0; ; i++) {
        const b = await src.valBatch(i, 3);
        if (!b) break;
        out.push(Array.from({ length: b.size }, (_, k) => idOf(b, k)));
      }
      return out;
    };
    const first = await read();
    expect(first).toEqual([[500, 501, 502], [503, 504, 505], [506]]);
    expect(await read()).toEqual(first);
    expect((await src.valBatch(1, 3))!.size).toBe(3); // random access re-reads
    await src.dispose();
  });

  it('a held-out fraction splits by key hash: disjoint, complete, as isHeldOut says', async () => {
    const { inputs, keyOf } = idShards(2, 40);
    const split = { kind: 'fraction' as const, fraction: 0.25, splitSeed: 3 };
    const src = new ShardPipelineSource({ train: inputs, val: [] }, fakeDecoder(), cfg({ split, shuffleBuffer: 16, augment: null }));
    const val = new Set<number>();
    for (let i = 0; ; i++) {
      const b = await src.valBatch(i, 7);
      if (!b) break;
      for (let k = 0; k < b.size; k++) val.add(idOf(b, k));
    }
    const want = new Set([...keyOf].filter(([, key]) => isHeldOut(key, 0.25, 3)).map(([id]) => id));
    expect(val).toEqual(want);
    expect(want.size).toBeGreaterThan(5);
    const train = new Set<number>();
    for (let s = 0; s < 20; s++) {
      const b = await src.trainBatch(s, 8);
      for (let k = 0; k < b.size; k++) train.add(idOf(b, k));
    }
    for (const id of train) expect(val.has(id)).toBe(false);
    expect(train.size + val.size).toBe(80);
    await src.dispose();
  });

  it('class subsets give labels 0..K-1; statistics count shards, bytes and classes', async () => {
    const { inputs } = idShards(2, 10, 4);
    const src = new ShardPipelineSource({ train: inputs, val: [] }, fakeDecoder(), cfg({ classes: selectClasses({ kind: 'indices', indices: [3, 1] }), augment: null, shuffleBuffer: 2 }));
    expect(src.numClasses).toBe(2);
    const b = await src.trainBatch(0, 6);
    for (let k = 0; k < b.size; k++) expect(idOf(b, k) % 4 === 3 ? 0 : 1).toBe(b.labels[k]);
    await src.dispose();
    const st = src.stats.snapshot();
    expect(st.filtered).toBeGreaterThan(0);
    expect(st.perClass[0] + st.perClass[2]).toBe(0);
    expect(st.bytes).toBeGreaterThan(0);
    expect(st.decodedPerSecond).toBeGreaterThan(0);
  });

  it('fails clearly when no training sample decodes at all', async () => {
    const bad = shard('bad.tar', [{ key: 'a', cls: 0, image: new Uint8Array([1, 2, 3]) }]);
    const src = new ShardPipelineSource({ train: [bad], val: [] }, fakeDecoder(), cfg({ prefetchBatches: 0 }));
    await expect(src.trainBatch(0, 2)).rejects.toThrow(/no training image decoded in a whole pass/);
    const empty = new ShardPipelineSource({ train: [fileInput(bytesFile('e.tar', new Uint8Array(0)))], val: [] }, fakeDecoder(), cfg({ prefetchBatches: 0 }));
    await expect(empty.trainBatch(0, 2)).rejects.toThrow(/no training samples in a whole pass/);
    expect(empty.stats.snapshot().issueCounts['empty-file']).toBe(1);
  });
});
