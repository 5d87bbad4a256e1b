import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseIsometry } from '../core/isometry/analyse.ts';
import { DEFAULT_WATCH_SHARE } from '../core/isometry/cadence.ts';
import { WATCH_MAX_DIM, WATCH_TILE, type SpectrumWatcher } from '../core/isometry/watcher.ts';
import { watchedModules, type WatchFrame } from '../core/isometry/watchSeries.ts';
import { syntheticTensors, testRecipe } from '../core/testing/fixtures.ts';
import { useCpuBackend } from '../core/testing/tfCpu.ts';
import { loadCheckpoint } from '../core/train/checkpoint.ts';
import { Trainer } from '../core/train/trainer.ts';
import { decodeRunFile } from './persist/runFile.ts';
import { RunsHandler, type EngineHost } from './persist/runsHandler.ts';
import { memoryRunStore } from './persist/runStore.ts';
import { DEFAULT_WATCH_SETTINGS, PRESET_SETTINGS, type EngineEvent, type WatchConfigEvent } from './protocol/index.ts';
import { TrainSession, type SessionSink } from './session.ts';
import { checkWatchSettings, WatchService } from './watch.ts';

beforeAll(useCpuBackend);

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

type Of<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

describe('watch settings', () => {
  it('default to the core constants and are checked field by field', () => {
    expect(DEFAULT_WATCH_SETTINGS).toEqual({ list: 'default', share: DEFAULT_WATCH_SHARE, tile: WATCH_TILE, maxDim: WATCH_MAX_DIM });
    expect(checkWatchSettings({ list: '3:0,-1', share: 0.2, tile: 2, maxDim: 64 })).toEqual({ list: '3:0,-1', share: 0.2, tile: 2, maxDim: 64 });
    const ok = DEFAULT_WATCH_SETTINGS;
    expect(() => checkWatchSettings({ ...ok, list: '3;;' })).toThrow('empty group');
    expect(() => checkWatchSettings({ ...ok, share: 2 })).toThrow('watch: share must be a number in [0, 1], got 2');
    expect(() => checkWatchSettings({ ...ok, tile: 0 })).toThrow('watch: tile must be an integer >= 1, got 0');
    expect(() => checkWatchSettings({ ...ok, maxDim: 1.5 })).toThrow('watch: maxDim must be an integer >= 1');
  });
});

describe('WatchService and the session', () => {
  it('gives sessions their watcher, refuses lists that do not fit, and keeps settings across sessions', async () => {
    const events: EngineEvent[] = [];
    const svc = new WatchService((e) => events.push(e));
    const trainer = new Trainer(testRecipe({ sampler: 'uniform', totalSteps: 2 }));
    const sink: SessionSink = { progress: () => undefined, indicators: () => undefined, state: () => undefined, error: () => undefined };
    const s = new TrainSession(trainer, sink);
    try {
      const n = s.choices.length;
      svc.attach(s);
      const first = events.at(-1) as WatchConfigEvent;
      expect(first.id).toBeNull();
      expect(new Set(first.modules.map((k) => k.layer))).toEqual(new Set([0, 1, 2].map((k) => Math.floor((n * (2 * k + 1)) / 6))));
      expect(s.spectrumWatcher?.keys).toEqual(first.modules);

      expect(() => svc.set({ type: 'watchSet', id: 4, settings: { list: `${n}` } }, s)).toThrow(`layer ${n} is not in 0..${n - 1}`);
      expect(svc.current).toEqual(DEFAULT_WATCH_SETTINGS); // nothing changed
      svc.set({ type: 'watchSet', id: 5, settings: { list: '0:0', share: 0.5, tile: 2 } }, s);
      expect(events.at(-1)).toEqual({ type: 'watchConfig', id: 5, settings: { list: '0:0', share: 0.5, tile: 2, maxDim: WATCH_MAX_DIM }, modules: [{ layer: 0, choice: 0 }] });
      expect([s.spectrumWatcher?.tile, s.spectrumWatcher?.cadence.share]).toEqual([2, 0.5]);
      svc.set({ type: 'watchSet', id: 6, settings: { list: 'none' } }, s);
      expect(s.spectrumWatcher).toBeNull();
      // a list of another space: the next session watches the default list and says why
      svc.set({ type: 'watchSet', id: 7, settings: { list: '0:-1' } }, null);
      svc.attach(s);
      expect((events.at(-1) as WatchConfigEvent).problem).toContain('layer 0 has no candidate -1');
      expect(s.spectrumWatcher?.keys).toEqual(first.modules);
    } finally {
      await s.dispose();
    }
  });

  it('a failing analysis stops watching, never training', async () => {
    const errors: string[] = [];
    const steps: number[] = [];
    const states: string[] = [];
    const sink: SessionSink = { progress: (p) => steps.push(p.step), indicators: () => undefined, state: (st) => states.push(st), error: (m) => errors.push(m) };
    const s = new TrainSession(new Trainer(testRecipe({ sampler: 'uniform', totalSteps: 3 })), sink);
    const broken = { addStep: () => undefined, maybeWatch: async () => Promise.reject(new Error('out of memory')) } as unknown as SpectrumWatcher;
    s.setWatcher(broken);
    const before = tf.memory().numTensors;
    await s.control('trainStart');
    await until(() => states.includes('done'));
    expect(steps).toEqual([0, 1, 2]);
    expect(errors).toEqual(['watching stopped (training goes on): out of memory']);
    expect(s.spectrumWatcher).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    await s.dispose();
  });
});

/** A worker stand-in (as runsHandler.test.ts) whose sink also streams watch frames. */
function worker(store = memoryRunStore()) {
  const events: EngineEvent[] = [];
  const frames: WatchFrame[] = [];
  let session: TrainSession | null = null;
  const svc = new WatchService((e) => events.push(e));
  const base: SessionSink = {
    progress: () => undefined,
    indicators: () => undefined,
    state: () => undefined,
    error: (m) => events.push({ type: 'error', id: null, message: m }),
    watch: (f) => frames.push(f),
  };
  const host: EngineHost = {
    backend: () => 'cpu',
    session: () => session,
    replaceSession: async (next) => {
      const prev = session;
      session = next;
      if (prev !== null && prev !== next) await prev.dispose();
    },
    newSession: (trainer) => {
      const s = new TrainSession(trainer, sink);
      svc.attach(s);
      return s;
    },
    post: (ev) => events.push(ev),
    enqueue: () => undefined,
  };
  const handler = new RunsHandler(host, async () => store);
  const sink = handler.wrapSink(base);
  return { events, frames, host, handler, sink, svc, store, session: () => session };
}

describe('watched spectra of a run: streamed, stored with the checkpoint, exported, resumed, compared', () => {
  it('keeps the frames before each checkpoint and gives them back', async () => {
    const before = tf.memory().numTensors;
    const recipe = testRecipe({ sampler: 'uniform', totalSteps: 6 });
    const settings = { ...PRESET_SETTINGS.tiny, resolution: 16, numClasses: 4, batchSize: 8, sampler: 'uniform' as const, totalSteps: 6 };
    const a = worker();
    await a.handler.handle({ type: 'runsList', id: 1, policy: { everySteps: 100, everyMs: 1e9 } });
    a.svc.set({ type: 'watchSet', id: 2, settings: { list: '1:-1,0', share: 1 } }, null);
    const s = new TrainSession(new Trainer(recipe), a.sink);
    await a.host.replaceSession(s);
    a.svc.attach(s);
    await a.handler.built(s, 'tiny', settings);
    await a.handler.controlled(s, await s.control('trainStart'));
    await until(() => a.frames.length >= 2);
    await a.handler.controlled(s, await s.control('trainPause'));
    const paused = s.steps;
    expect(a.frames.map((f) => f.step)).toEqual(Array.from({ length: paused }, (_, i) => i)); // share 1: every step
    const runId = (await a.handler['ready']()).liveId as string;
    const stored = await a.store.get(runId);
    expect(stored?.checkpointStep).toBe(paused);
    const watch = stored?.watch;
    if (watch === undefined) throw new Error('no watch series stored');
    expect(Array.from(new Set(watch.step))).toEqual(a.frames.map((f) => f.step));
    expect(watchedModules(watch).map((m) => [m.layer, m.choice, m.entries])).toEqual([
      [1, -1, paused],
      [1, 0, paused],
    ]);

    // the frame of the last step before the checkpoint = the on-demand lens on that checkpoint and that step's batch
    const last = a.frames[paused - 1];
    const ck = await a.store.checkpoint(runId);
    const t = loadCheckpoint(ck?.bytes as Uint8Array);
    const { x, y } = syntheticTensors(recipe, paused - 1);
    try {
      const ref = await analyseIsometry(t.supernet, x, { layers: [1], choices: [-1, 0], tile: WATCH_TILE, maxDim: WATCH_MAX_DIM, depth: false });
      ref.modules.forEach((m, i) => {
        expect(Math.abs(last.modules[i].meanSq - m.meanSq)).toBeLessThanOrEqual(1e-5 * m.meanSq);
        expect(Math.abs(last.modules[i].varSq - m.varSq)).toBeLessThanOrEqual(1e-5 * Math.max(1, m.varSq));
      });
    } finally {
      tf.dispose([x, y]);
      t.dispose();
    }

    // export: the file carries the series; import gives it back
    await a.handler.handle({ type: 'runExport', id: 3, runId });
    const file = a.events.find((e): e is Of<'runExported'> => e.type === 'runExported') as Of<'runExported'>;
    expect(decodeRunFile(file.bytes.slice(), file.fileName).record.watch).toEqual(watch);

    // more steps after the checkpoint, then a stop (checkpoint at `stopped` steps)
    await s.control('trainResume');
    await until(() => s.steps >= paused + 1);
    await a.handler.controlled(s, await s.control('trainStop'));
    const stopped = s.steps;

    // a new worker over the same store resumes: the stored frames come back after runResumed
    const b = worker(a.store);
    await b.handler.handle({ type: 'runResume', id: 9, runId, start: false });
    const kinds = b.events.filter((e) => 'id' in e && e.id === 9 || e.type === 'watchConfig').map((e) => e.type);
    expect(kinds).toEqual(['watchConfig', 'runResumed', 'watchHistory']);
    const hist = b.events.find((e): e is Of<'watchHistory'> => e.type === 'watchHistory') as Of<'watchHistory'>;
    expect(hist.runId).toBe(runId);
    expect(Array.from(new Set(hist.series?.step))).toEqual(Array.from({ length: stopped }, (_, i) => i));

    await b.handler.handle({ type: 'runImport', id: 10, file: new Blob([file.bytes.slice()]), fileName: file.fileName });
    const importedId = (await b.store.list()).map((r) => r.id).find((id) => id !== runId) as string;
    expect((await b.store.get(importedId))?.watch).toEqual(watch);

    // compare the run (stopped later) with its copy exported at the pause
    await b.handler.compare({ type: 'runCompare', id: 11, runA: importedId, runB: runId });
    const cmp = b.events.find((e): e is Of<'runCompared'> => e.type === 'runCompared') as Of<'runCompared'>;
    expect(cmp.a.metrics.loss.length).toBe(paused);
    expect(cmp.b.metrics.loss.length).toBe(stopped);
    expect(cmp.comparison.curves).toMatchObject({ common: paused, meanLossDiff: 0 });
    expect(cmp.a.indicators?.step).toBe(paused);
    expect(cmp.b.indicators?.step).toBe(stopped);
    expect(cmp.comparison.spectra.map((sp) => [sp.layer, sp.choice, sp.commonSteps])).toEqual([
      [1, -1, paused],
      [1, 0, paused],
    ]);
    expect(cmp.comparison.spectra[0].meanLog10MeanSqRatio).toBe(0); // the same frames up to the pause
    await expect(b.handler.compare({ type: 'runCompare', id: 12, runA: 'nope', runB: runId })).rejects.toThrow('no stored run nope');

    await b.host.replaceSession(null);
    await a.host.replaceSession(null);
    expect([...a.events, ...b.events].filter((e) => e.type === 'error')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);
});
