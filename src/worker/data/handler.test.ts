import { describe, expect, it } from 'vitest';
import { resolveRecipe } from '../../core/train/recipe.ts';
import { DataHandler } from './handler.ts';
import { MemoryPixelStore } from './decodeCache.ts';
import { FakeDecoder, fakeImage, tarShard } from './testing.ts';
import type { EngineEvent } from '../protocol/index.ts';

const bad = new TextEncoder().encode('broken');
const shard = (n: number, classes: number[]) =>
  tarShard([
    ...Array.from({ length: n }, (_, i) => ({ key: `s${i}`, cls: classes[i % classes.length], image: fakeImage(10 + i) })),
    { key: 'bad', cls: classes[0], image: bad },
  ]);
const file = (name: string, bytes: Uint8Array) => ({ file: new File([bytes as Uint8Array<ArrayBuffer>], name), path: name });

function handler() {
  const events: EngineEvent[] = [];
  const h = new DataHandler((ev) => events.push(ev), new FakeDecoder());
  const answer = async (type: EngineEvent['type']) => {
    for (let i = 0; i < 200 && !events.some((e) => e.type === type); i++) await new Promise((r) => setTimeout(r, 5));
    return events.find((e) => e.type === type);
  };
  return { h, events, answer };
}

describe('DataHandler', () => {
  it('loads files, selects them, and gives builds a pipeline source with labels 0..K-1 of the classes present', async () => {
    const { h, events, answer } = handler();
    expect(h.selection()).toBeNull();
    h.load({ type: 'loadData', id: 7, files: [file('b.tar', shard(6, [500, 3])), file('dir/a.tar', shard(3, [3]))] });
    expect(() => h.selection()).toThrow(/still loading/);
    const loaded = await answer('dataLoaded');
    expect(loaded).toMatchObject({ type: 'dataLoaded', id: 7, cancelled: false });
    if (loaded?.type !== 'dataLoaded' || loaded.summary === null) throw new Error('no summary');
    const s = loaded.summary;
    expect(s).toMatchObject({ files: 2, samples: 9, skipped: 2, issues: 2, classIndices: [3, 500], classCounts: [6, 3] });
    expect(s.classNames).toEqual(['class 3', 'class 500']); // numeric labels, no synset: not named as ImageNet's
    expect(s.synsetLabels).toBe(false);
    expect(s.name).toBe('2 files (b.tar, dir/a.tar)');
    const issues = events.filter((e) => e.type === 'dataIssue');
    expect(issues.map((e) => e.type === 'dataIssue' && [e.id, e.file, e.key, e.code])).toEqual([
      [7, 'b.tar', 'bad', 'undecodable-image'], // read in path order
      [7, 'dir/a.tar', 'bad', 'undecodable-image'],
    ]);
    expect(events.filter((e) => e.type === 'dataSamples')).toHaveLength(1);
    expect(h.selection()).toEqual({ numClasses: 2, name: s.name });

    const recipe = resolveRecipe('tiny', { config: { resolution: 8, widthMult: 0.25, numClasses: 2 } });
    const src = await h.sourceFor(recipe);
    if (!src) throw new Error('no source');
    expect(src.numClasses).toBe(2);
    const b = await src.trainBatch(0, 12);
    expect(b.size).toBe(12);
    expect(b.resolution).toBe(8);
    expect(b.images.length).toBe(12 * 8 * 8 * 3);
    expect(new Set(b.labels)).toEqual(new Set([0, 1]));
    // training meets the undecodable images again: each is posted once, with id null
    await src.trainBatch(1, 12);
    const again = events.filter((e) => e.type === 'dataIssue' && e.id === null);
    expect(again.length).toBe(2); // 24 images drawn from 11 samples a pass: both met, at least twice
    expect(new Set(again.map((e) => e.type === 'dataIssue' && `${e.file}/${e.key}`)).size).toBe(again.length);
    await h.sourceFor(recipe).then((x) => x?.dispose());

    await h.clear({ type: 'dataClear', id: 8 });
    expect(events.at(-1)).toEqual({ type: 'dataCleared', id: 8 });
    expect(h.selection()).toBeNull();
    expect(await h.sourceFor(recipe)).toBeUndefined();
  });

  it('selects nothing, saying why, when the data has one class or no usable sample', async () => {
    const one = handler();
    one.h.load({ type: 'loadData', id: 1, files: [file('a.tar', shard(3, [9]))] });
    expect(await one.answer('dataLoaded')).toMatchObject({ summary: null, cancelled: false, reason: expect.stringMatching(/one class \(class 9\): training needs at least two/) });
    expect(one.h.selection()).toBeNull();
    const none = handler();
    none.h.load({ type: 'loadData', id: 2, files: [file('x.bin', new TextEncoder().encode('x'.repeat(600)))] });
    expect(await none.answer('dataLoaded')).toMatchObject({ summary: null, reason: 'no usable sample in 1 file (x.bin): see the listed issues' });
  });

  it('trains through the decode cache when the load asks for it: each image decoded once, later passes from the store', async () => {
    const events: EngineEvent[] = [];
    const decoder = new FakeDecoder();
    const store = new MemoryPixelStore();
    const sides: number[] = [];
    const h = new DataHandler((ev) => events.push(ev), decoder, (side) => (sides.push(side), store));
    h.load({ type: 'loadData', id: 3, files: [file('c.tar', shard(5, [1, 2]))], cache: true });
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'dataLoaded'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(h.selection()?.name).toBe('1 file (c.tar) + decoded-image cache');
    const recipe = resolveRecipe('tiny', { config: { resolution: 8, widthMult: 0.25, numClasses: 2 } });
    const src = await h.sourceFor(recipe);
    if (!src) throw new Error('no source');
    const before = decoder.calls;
    for (let t = 0; t < 4; t++) await src.trainBatch(t, 5); // 20 images from 5 good samples a pass
    await src.dispose();
    expect(sides.at(-1)).toBe(32); // twice 8 px, at least 32
    expect(store.map.size).toBe(5); // the good images, once each
    // fresh decodes while training: the 5 good images once, the bad one every time it comes up
    const bad = decoder.calls - before - 5;
    expect(bad).toBeGreaterThanOrEqual(1);
    expect(bad).toBeLessThanOrEqual(6);
  });

  it('a second load cancels the first', async () => {
    const { h, events, answer } = handler();
    h.load({ type: 'loadData', id: 1, files: [file('a.tar', shard(40, [1, 2]))] });
    h.load({ type: 'loadData', id: 2, files: [file('b.tar', shard(4, [5, 6]))] });
    for (let i = 0; i < 200 && events.filter((e) => e.type === 'dataLoaded').length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    const done = events.filter((e) => e.type === 'dataLoaded');
    expect(done.map((e) => e.type === 'dataLoaded' && [e.id, e.cancelled])).toEqual([[1, true], [2, false]]);
    expect(await answer('dataLoaded')).toBeDefined();
    expect(h.selection()?.numClasses).toBe(2);
  });
});
