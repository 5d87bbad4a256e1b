import { afterEach, describe, expect, it } from 'vitest';
import type { EngineCommand, EngineEvent } from '../worker/protocol/index.ts';
import { EngineClient } from './engineClient.ts';

/** A stand-in for the engine worker: records commands, lets the test send events. */
class FakeWorker {
  static last: FakeWorker | null = null;
  sent: EngineCommand[] = [];
  private onMessage: ((ev: { data: EngineEvent }) => void) | null = null;
  constructor() {
    FakeWorker.last = this;
  }
  addEventListener(type: string, f: (ev: { data: EngineEvent }) => void): void {
    if (type === 'message') this.onMessage = f;
  }
  postMessage(cmd: EngineCommand): void {
    this.sent.push(cmd);
  }
  terminate(): void {}
  emit(ev: EngineEvent): void {
    this.onMessage?.({ data: ev });
  }
}

const realWorker = globalThis.Worker;
afterEach(() => {
  globalThis.Worker = realWorker;
});

function client() {
  globalThis.Worker = FakeWorker as unknown as typeof Worker;
  const fatal: string[] = [];
  const c = new EngineClient({ onFatal: (m) => fatal.push(m) });
  return { c, w: FakeWorker.last!, fatal };
}

describe('EngineClient.call', () => {
  it('resolves with the answer of its id, hands its stream to onStream, and rejects on its error', async () => {
    const { c, w, fatal } = client();
    const streamed: string[] = [];
    const search = c.call('search', { rule: 'dirf', maxMacs: null, maxParams: null, seed: 1 }, (ev) => streamed.push(`${ev.type}:${ev.type === 'searchGeneration' ? ev.generation : ev.run?.id}`));
    const build = c.call('build', { preset: 'tiny', settings: {} as never });
    expect(w.sent.map((m) => [m.type, m.id])).toEqual([['search', 1], ['build', 2]]);
    const gen = { type: 'searchGeneration', id: 1, generation: 0, generations: 2, best: 1, mean: 1, evaluated: 1, rejected: 0, macs: new Float64Array(), fitness: new Float64Array() } as const;
    w.emit(gen);
    w.emit({ type: 'error', id: 2, message: 'refused' });
    w.emit({ ...gen, generation: 1 });
    w.emit({ type: 'searchStopped', id: 1, wasRunning: true }); // not the answer of `search`: the command's id is still waiting
    const result = { type: 'searchResult', id: 1 } as unknown as EngineEvent;
    w.emit(result);
    await expect(build).rejects.toThrow('refused');
    await expect(search).rejects.toThrow('expected searchResult, the engine answered searchStopped');
    expect(streamed).toEqual(['searchGeneration:0', 'searchGeneration:1']);
    expect(fatal).toEqual([]);
  });

  it('routes events not tied to a command to the one listener of their channel', async () => {
    const { c, w, fatal } = client();
    const train: string[] = [];
    const runs: string[] = [];
    const watch: string[] = [];
    c.listen('train', (ev) => train.push(ev.type));
    c.listen('runs', (ev) => runs.push(ev.type));
    c.listen('watch', (ev) => watch.push(ev.type));
    const start = c.call('trainStart', {});
    w.emit({ type: 'trainState', id: null, state: 'running', step: 0 });
    w.emit({ type: 'trainState', id: 1, state: 'running', step: 0 });
    await expect(start).resolves.toMatchObject({ state: 'running' });
    const lose = c.call('debugLoseDevice', {});
    w.emit({ type: 'deviceLost', id: 2, message: 'gone', runId: null });
    await expect(lose).resolves.toMatchObject({ message: 'gone' });
    w.emit({ type: 'watchConfig', id: null, settings: { list: 'none', share: 0, tile: 1, maxDim: 1 }, modules: [] });
    w.emit({ type: 'error', id: null, message: 'loop failed' });
    expect(train).toEqual(['trainState']);
    expect(runs).toEqual(['deviceLost']); // an answered device loss is announced too
    expect(watch).toEqual(['watchConfig']);
    expect(fatal).toEqual(['loop failed']);
  });
});
