// Resuming a run that trained on loaded files: DataHandler gives it the loaded files only when they
// match the run's data fingerprint (with the run's own split), and RunsHandler refuses before it
// lets the current session go.
import { describe, expect, it } from 'vitest';
import { resolveRecipe } from '../../core/train/recipe.ts';
import { DataHandler } from './handler.ts';
import { FakeDecoder, fakeImage, tarShard } from './testing.ts';
import { RunsHandler } from '../persist/runsHandler.ts';
import { newRunRecord } from '../persist/runRecord.ts';
import { memoryRunStore } from '../persist/runStore.ts';
import { PRESET_SETTINGS, type DataFileRef, type EngineEvent } from '../protocol/index.ts';
import type { TrainSession } from '../session.ts';

const shard = (prefix: string, n: number) => tarShard(Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, cls: i % 2 === 0 ? 7 : 9, image: fakeImage(1 + i) })));
const file = (name: string, bytes: Uint8Array): DataFileRef => ({ file: new File([bytes as Uint8Array<ArrayBuffer>], name), path: name });
const recipe = resolveRecipe('tiny', { config: { resolution: 8, widthMult: 0.25, numClasses: 2 } });

async function load(h: DataHandler, events: EngineEvent[], files: DataFileRef[], valFraction: number) {
  const before = events.filter((e) => e.type === 'dataLoaded').length;
  h.load({ type: 'loadData', id: 1, files, valFraction });
  for (let i = 0; i < 400 && events.filter((e) => e.type === 'dataLoaded').length === before; i++) await new Promise((r) => setTimeout(r, 5));
}

async function valCount(src: Awaited<ReturnType<DataHandler['sourceFor']>>): Promise<number> {
  if (!src) throw new Error('no source');
  let n = 0;
  for (let i = 0; ; i++) {
    const b = await src.valBatch(i, 16);
    if (b === null) return n;
    n += b.size;
  }
}

describe('resuming a run on loaded files', () => {
  it('matches the same files, trains with the run split, and refuses other data naming what to load', async () => {
    const events: EngineEvent[] = [];
    const h = new DataHandler((e) => events.push(e), new FakeDecoder(), () => null);
    const files = [file('a.tar', shard('a', 20)), file('b.tar', shard('b', 20))];
    await load(h, events, files, 0.3);
    const fp = h.fingerprint();
    if (fp === null) throw new Error('nothing selected');
    expect(fp.files.map((f) => [f.path, f.size])).toEqual(files.map((f) => [f.path, f.file.size]));
    expect(fp).toMatchObject({ classIndices: [7, 9], split: { kind: 'fraction', fraction: 0.3 }, valFraction: 0.3 });
    const run = { data: 'shards', dataFingerprint: fp };
    const held = await valCount(await h.sourceFor(recipe));
    expect(held).toBeGreaterThan(0);

    // the same files loaded again with another fraction: the run keeps its own split
    await load(h, events, [...files].reverse(), 0);
    expect(h.fingerprint()?.split).toEqual({ kind: 'none' });
    expect(h.checkResume(run)).toEqual({ kind: 'files', fingerprint: fp });
    expect(await valCount(await h.sourceForRun(recipe, run))).toBe(held);

    // other files: refused, naming the run's files and the first difference
    await load(h, events, [file('a.tar', shard('a', 20)), file('c.tar', shard('c', 4))], 0.3);
    expect(() => h.checkResume(run)).toThrow(/^this run trained on 2 files \(a\.tar, b\.tar; [\d.]+ KiB\); drop those same files on the Data panel, then resume \(the loaded data differs: "b\.tar" is not loaded\)$/);
    await expect(h.sourceForRun(recipe, run)).rejects.toThrow(/drop those same files/);
    // a synthetic run resumes on the synthetic data whatever is loaded
    expect(await h.sourceForRun(recipe, { data: 'synthetic' })).toBeUndefined();
    await h.clear({ type: 'dataClear', id: 9 });
    expect(() => h.checkResume(run)).toThrow(/\(no files are loaded now\)$/);
  });

  it('RunsHandler refuses before it lets the current session go', async () => {
    const store = memoryRunStore();
    const fp = { files: [{ path: 'a.tar', size: 10 }], classIndices: [1, 2], split: { kind: 'none' as const }, valFraction: 0 };
    const record = { ...newRunRecord({ id: 'run-x-0000001', now: 1, preset: 'tiny', settings: PRESET_SETTINGS.tiny, data: 'shards', totalSteps: 10, dataFingerprint: fp }), checkpointStep: 2 };
    await store.putWithCheckpoint(record, { runId: record.id, step: 2, bytes: new Uint8Array(8) });
    const current = { state: 'done' } as TrainSession;
    let replaced = 0;
    let built = 0;
    const events: EngineEvent[] = [];
    const handler = new RunsHandler(
      {
        backend: () => 'cpu',
        session: () => current,
        replaceSession: async () => void replaced++,
        checkResume: (run) => {
          throw new Error(`refused ${run.dataFingerprint?.files[0].path}`);
        },
        newSession: () => {
          built++;
          return current;
        },
        post: (e) => events.push(e),
        enqueue: () => undefined,
      },
      async () => store,
    );
    await expect(handler.handle({ type: 'runResume', id: 1, runId: record.id, start: true })).rejects.toThrow('refused a.tar');
    expect([replaced, built]).toEqual([0, 0]);
  });
});
