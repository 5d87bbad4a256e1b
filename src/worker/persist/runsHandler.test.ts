import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { testRecipe } from '../../core/testing/fixtures.ts';
import { useCpuBackend } from '../../core/testing/tfCpu.ts';
import { Trainer } from '../../core/train/trainer.ts';
import { PRESET_SETTINGS, type EngineEvent, type RunsCommand, type RunSummary, type SearchResultEvent, type SearchSavedEvent } from '../protocol/index.ts';
import { SearchService } from '../search.ts';
import { TrainSession, type SessionSink } from '../session.ts';
import { RunsHandler, type EngineHost } from './runsHandler.ts';
import { memoryRunStore, type RunStore } from './runStore.ts';

beforeAll(useCpuBackend);

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

/** A worker stand-in: one session slot, the posted events, and a handler over `store`. */
function worker(store: RunStore) {
  const events: EngineEvent[] = [];
  const losses = new Map<number, number>();
  let session: TrainSession | null = null;
  let queue = Promise.resolve();
  const base: SessionSink = {
    progress: (p) => losses.set(p.step, p.loss),
    indicators: () => undefined,
    state: () => undefined,
    error: (m) => events.push({ type: 'error', id: null, message: m }),
  };
  const host: EngineHost = {
    backend: () => 'cpu',
    session: () => session,
    replaceSession: async (next) => {
      const prev = session;
      session = next;
      if (prev !== null && prev !== next) await prev.dispose();
    },
    newSession: (trainer) => new TrainSession(trainer, sink),
    post: (ev) => events.push(ev),
    enqueue: (work) => {
      queue = queue.then(work);
    },
  };
  const handler = new RunsHandler(host, async () => store);
  const sink = handler.wrapSink(base);
  let nextId = 1;
  // Distributes Omit over the union so each command keeps its own fields.
  type Body = RunsCommand extends infer C ? (C extends RunsCommand ? Omit<C, 'id'> : never) : never;
  const command = async (c: Body) => {
    const id = nextId++;
    await handler.handle({ ...c, id } as RunsCommand);
    const answer = events.find((e) => 'id' in e && e.id === id);
    if (answer === undefined) throw new Error(`no answer to ${c.type}`);
    return answer;
  };
  const list = async () => ((await command({ type: 'runsList' })) as { runs: RunSummary[] }).runs;
  return { events, losses, host, handler, sink, command, list, session: () => session };
}

describe('runs: record, checkpoint, reload, resume, export, import, delete', () => {
  it('a resumed run continues its step counter and metrics from the checkpoint, exactly', async () => {
    const before = tf.memory().numTensors;
    const store = memoryRunStore();
    const settings = { ...PRESET_SETTINGS.tiny, resolution: 16, numClasses: 4, batchSize: 8, sampler: 'uniform' as const, totalSteps: 8 };
    const a = worker(store);
    await a.command({ type: 'runsList', policy: { everySteps: 2, everyMs: 1e9 } });
    const s = new TrainSession(new Trainer(testRecipe({ sampler: 'uniform', totalSteps: 8 })), a.sink);
    await a.host.replaceSession(s);
    await a.handler.built(s, 'tiny', settings);
    await a.handler.controlled(s, await s.control('trainStart'));
    await until(() => a.losses.size >= 3);
    await a.handler.controlled(s, await s.control('trainPause'));
    const paused = s.steps;
    const [live] = await a.list();
    expect(live).toMatchObject({ status: 'paused', live: true, step: paused, checkpointStep: paused, data: 'synthetic' });
    expect(store.writes).toBeGreaterThanOrEqual(3); // created, a periodic checkpoint (every 2 steps), the pause

    // "reload": a new worker over the same store lists the run, cut off while paused
    const b = worker(store);
    expect((await b.list())[0]).toMatchObject({ id: live.id, live: false, status: 'interrupted', checkpointStep: paused });
    const exported = (await a.command({ type: 'runExport', runId: live.id })) as { fileName: string; bytes: Uint8Array };
    expect(exported.fileName).toMatch(/\.isonas-run$/);

    // the uninterrupted run takes step `paused` (and stores a checkpoint at paused + 1 on stop)
    await s.control('trainResume');
    await until(() => a.losses.has(paused));
    await a.handler.controlled(s, await s.control('trainStop'));
    const want = a.losses.get(paused) as number;

    const resumed = (await b.command({ type: 'runResume', runId: live.id, start: false })) as Extract<EngineEvent, { type: 'runResumed' }>;
    const taken = a.losses.size; // steps the first session took before its stop
    expect(resumed.step).toBe(taken);
    expect(resumed.history.loss.length).toBe(taken);
    for (let i = 0; i < taken; i++) expect(resumed.history.loss[i]).toBe(Math.fround(a.losses.get(i) as number));
    const s2 = b.session() as TrainSession;
    expect(s2.steps).toBe(taken);
    await b.handler.controlled(s2, await s2.control('trainStart'));
    await until(() => b.losses.size >= 1);
    await b.handler.controlled(s2, await s2.control('trainStop'));
    expect(Math.min(...b.losses.keys())).toBe(taken); // the counter continued, not from 0
    expect((await b.list())[0]).toMatchObject({ live: true, status: 'stopped' });

    // delete; import the file exported at the pause; resuming it retakes step `paused` exactly
    await b.command({ type: 'runDelete', runId: live.id });
    expect(await b.list()).toHaveLength(0);
    await b.command({ type: 'runImport', file: new Blob([exported.bytes.slice()]), fileName: exported.fileName });
    const [imported] = await b.list();
    expect(imported).toMatchObject({ id: live.id, checkpointStep: paused, status: 'interrupted' });
    b.losses.clear();
    const again = (await b.command({ type: 'runResume', runId: imported.id, start: true })) as Extract<EngineEvent, { type: 'runResumed' }>;
    expect(again.step).toBe(paused);
    await until(() => b.losses.size >= 1);
    const s3 = b.session() as TrainSession;
    await b.handler.controlled(s3, await s3.control('trainStop'));
    expect(b.losses.get(paused)).toBe(want);

    await expect(b.command({ type: 'runImport', file: new Blob(['hello']), fileName: 'notes.txt' })).rejects.toThrow(/^notes\.txt: not an IsoNAS run file/);
    await b.host.replaceSession(null);
    await a.host.replaceSession(null);
    expect([...a.events, ...b.events].filter((e) => e.type === 'error')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('runs: search results stored by the search job', () => {
  it('a search of the live session is stored with its run and comes back on resume; a search of an earlier session is not stored', async () => {
    const before = tf.memory().numTensors;
    const store = memoryRunStore();
    const settings = { ...PRESET_SETTINGS.tiny, resolution: 16, numClasses: 4, batchSize: 8, sampler: 'uniform' as const, totalSteps: 8 };
    const a = worker(store);
    const s = new TrainSession(new Trainer(testRecipe({ sampler: 'uniform', totalSteps: 8 })), a.sink);
    await a.host.replaceSession(s);
    await a.handler.built(s, 'tiny', settings);
    await a.handler.controlled(s, await s.control('trainStart'));
    await until(() => a.losses.size >= 1);
    await a.handler.controlled(s, await s.control('trainPause'));

    const search = new SearchService((ev) => a.events.push(ev), { save: (session, result) => a.handler.saveSearch(session.trainer, result) });
    await search.start({ type: 'search', id: 50, rule: 'bnnas', maxMacs: null, maxParams: null, seed: 1, populationSize: 4, generations: 2 }, s);
    await search.settled();
    const result = a.events.find((e): e is SearchResultEvent => e.type === 'searchResult')!;
    const { type: _t, id: _i, ...want } = result;
    const [live] = await a.list();
    expect(live).toMatchObject({ live: true, hasSearch: true });
    const saved = a.events.find((e): e is SearchSavedEvent => e.type === 'searchSaved')!;
    expect(saved).toEqual({ type: 'searchSaved', id: 50, run: expect.objectContaining({ id: live.id, hasSearch: true }) });
    expect(a.events.indexOf(saved)).toBeLessThan(a.events.indexOf(result));
    expect(a.events.some((e) => e.type === 'runUpdated' && e.run.hasSearch)).toBe(true);
    expect((await store.get(live.id))!.search).toEqual(want);

    // a later checkpoint of the live run keeps it
    await a.handler.controlled(s, await s.control('trainStop'));
    expect((await store.get(live.id))!.search).toEqual(want);

    // "reload": resuming the run brings the result back, as stored
    const b = worker(store);
    const resumed = (await b.command({ type: 'runResume', runId: live.id, start: false })) as Extract<EngineEvent, { type: 'runResumed' }>;
    expect(resumed.search).toEqual(want);
    expect(resumed.searchProblem).toBeUndefined();

    // the first worker's session is no longer any run's live session there once another run is built
    const s2 = new TrainSession(new Trainer(testRecipe({ sampler: 'uniform', totalSteps: 8 })), a.sink);
    await a.handler.built(s2, 'tiny', settings);
    expect(await a.handler.saveSearch(s.trainer, want)).toBeNull();
    expect(await a.handler.saveSearch(s2.trainer, { ...want, seed: 9 })).toMatchObject({ live: true, hasSearch: true });
    expect((await store.get(live.id))!.search).toEqual(want);

    await s2.dispose();
    await a.host.replaceSession(null);
    await b.host.replaceSession(null);
    expect([...a.events, ...b.events].filter((e) => e.type === 'error')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
