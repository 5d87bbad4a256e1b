// The split of loaded data, end to end through DataHandler: a held-out fraction by key hash, and
// validation files named by their path; training batches never hold a validation sample.
import { describe, expect, it } from 'vitest';
import { resolveRecipe } from '../../core/train/recipe.ts';
import type { CropRect, DecodedImage } from '../../core/data/images/decode.ts';
import { isHeldOut } from '../../core/data/pipeline/split.ts';
import { DataHandler } from './handler.ts';
import { FakeDecoder, fakeImage, tarShard } from './testing.ts';
import type { DataSummary, EngineEvent, LoadDataCommand } from '../protocol/index.ts';

/** A FakeDecoder that records the value byte of every image it decodes (the sample's identity). */
class RecordingDecoder extends FakeDecoder {
  seen: number[] = [];
  override decode(bytes: Uint8Array, ext: string, crop: (w: number, h: number) => CropRect, w: number, h: number): Promise<DecodedImage> {
    this.seen.push(bytes[2]);
    return super.decode(bytes, ext, crop, w, h);
  }
}

const file = (name: string, bytes: Uint8Array) => ({ file: new File([bytes as Uint8Array<ArrayBuffer>], name), path: name });
const recipe = resolveRecipe('tiny', { config: { resolution: 8, widthMult: 0.25, numClasses: 2 } });

async function loaded(files: LoadDataCommand['files'], valFraction?: number) {
  const events: EngineEvent[] = [];
  const decoder = new RecordingDecoder();
  const h = new DataHandler((ev) => events.push(ev), decoder, () => null);
  h.load({ type: 'loadData', id: 1, files, ...(valFraction === undefined ? {} : { valFraction }) });
  for (let i = 0; i < 400 && !events.some((e) => e.type === 'dataLoaded'); i++) await new Promise((r) => setTimeout(r, 5));
  const ev = events.find((e) => e.type === 'dataLoaded');
  if (ev?.type !== 'dataLoaded' || ev.summary === null) throw new Error(`not loaded: ${JSON.stringify(ev)}`);
  decoder.seen = [];
  return { h, decoder, summary: ev.summary as DataSummary };
}

/** Every validation batch until the split ends: the labels, and the values the decoder saw. */
async function allVal(l: Awaited<ReturnType<typeof loaded>>) {
  const src = await l.h.sourceFor(recipe);
  if (!src) throw new Error('no source');
  l.decoder.seen = [];
  const labels: number[] = [];
  for (let i = 0; ; i++) {
    const b = await src.valBatch(i, 7);
    if (b === null) break;
    labels.push(...b.labels);
  }
  return { src, labels, values: [...l.decoder.seen] };
}

describe('loaded data: train / validation split', () => {
  it('holds out a fraction of the keys by hash: validation is exactly those, training never sees them', async () => {
    const n = 60;
    const samples = Array.from({ length: n }, (_, i) => ({ key: `img${i}`, cls: i % 2 === 0 ? 3 : 500, image: fakeImage(10 + i) }));
    const held = new Set(samples.filter((s) => isHeldOut(s.key, 0.3, 0)).map((s) => 10 + Number(s.key.slice(3))));
    expect(held.size).toBeGreaterThan(5); // the hash holds out some and keeps most
    expect(held.size).toBeLessThan(n - 20);
    const l = await loaded([file('a.tar', tarShard(samples.slice(0, 30))), file('b.tar', tarShard(samples.slice(30)))], 0.3);
    expect(l.summary.split).toEqual({ kind: 'fraction', fraction: 0.3 });

    const { src, labels, values } = await allVal(l);
    expect(new Set(values)).toEqual(held);
    expect(values).toHaveLength(held.size); // each once: centre crop, one pass
    expect(labels.every((y) => y === 0 || y === 1)).toBe(true);

    l.decoder.seen = [];
    for (let t = 0; t < 4; t++) await src.trainBatch(t, 25); // 100 draws > 1 pass of the kept samples
    await src.dispose();
    const trained = new Set(l.decoder.seen);
    expect([...trained].filter((v) => held.has(v))).toEqual([]);
    expect(trained.size).toBe(n - held.size); // a whole pass: every kept sample
  });

  it('defaults to the CLI fraction 0.01; fraction 0 means no validation data; a bad fraction is refused', async () => {
    const s = tarShard(Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, cls: i % 2, image: fakeImage(i + 1) })));
    expect((await loaded([file('x.tar', s)])).summary.split).toEqual({ kind: 'fraction', fraction: 0.01 });
    const none = await loaded([file('x.tar', s)], 0);
    expect(none.summary.split).toEqual({ kind: 'none' });
    expect((await allVal(none)).labels).toEqual([]);
    const h = new DataHandler(() => undefined, new FakeDecoder(), () => null);
    expect(() => h.load({ type: 'loadData', id: 2, files: [file('x.tar', s)], valFraction: 1 })).toThrow('the held-out fraction must be a number in [0, 1), got 1');
  });

  it('takes the files named as validation as the validation set, whatever the fraction', async () => {
    const train = Array.from({ length: 12 }, (_, i) => ({ key: `t${i}`, cls: i % 2 === 0 ? 3 : 500, image: fakeImage(20 + i) }));
    const val = Array.from({ length: 5 }, (_, i) => ({ key: `v${i}`, cls: i % 2 === 0 ? 500 : 3, image: fakeImage(100 + i) }));
    const l = await loaded([file('imagenet-val-0000.tar', tarShard(val)), file('imagenet-train-0000.tar', tarShard(train))], 0.5);
    expect(l.summary.split).toEqual({ kind: 'files', valFiles: 1, valBytes: expect.any(Number), trainFiles: 1, shown: ['imagenet-val-0000.tar'] });
    expect(l.summary.samples).toBe(17); // the scan counts both
    const { src, labels, values } = await allVal(l);
    expect(values).toEqual([100, 101, 102, 103, 104]); // in file order, no shuffling
    expect(labels).toEqual([1, 0, 1, 0, 1]); // classes 3 -> 0, 500 -> 1 as in training
    l.decoder.seen = [];
    await src.trainBatch(0, 24);
    await src.dispose();
    expect(new Set(l.decoder.seen)).toEqual(new Set(train.map((_, i) => 20 + i)));
  });

  it('ImageFolder: val/ images are validation and labelled by the classes of the whole drop', async () => {
    const img = (p: string, v: number) => file(p, fakeImage(v));
    // sorted-name classes of the drop: cat 0, dog 1; val/ holds only dog (alone it would be class 0)
    const l = await loaded([img('train/cat/1.jpg', 1), img('train/cat/2.jpg', 2), img('train/dog/3.jpg', 3), img('train/dog/4.jpg', 4), img('val/dog/5.jpg', 5)], 0.5);
    expect(l.summary.split).toMatchObject({ kind: 'files', valFiles: 1, trainFiles: 4, shown: ['val/dog/5.jpg'] });
    const { src, labels, values } = await allVal(l);
    expect(values).toEqual([5]);
    expect(labels).toEqual([1]);
    l.decoder.seen = [];
    await src.trainBatch(0, 8);
    await src.dispose();
    expect(new Set(l.decoder.seen)).toEqual(new Set([1, 2, 3, 4]));
  });

  it('reads every file as training data (with the fraction, saying why) when all are named as validation', async () => {
    const s = tarShard(Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, cls: i % 2, image: fakeImage(i + 1) })));
    const l = await loaded([file('val-0.tar', s)], 0.2);
    expect(l.summary.split).toEqual({ kind: 'fraction', fraction: 0.2, note: 'every file is named as validation data (val-0.tar, ...): all are read as training data' });
  });
});
