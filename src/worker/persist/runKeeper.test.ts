import { describe, expect, it } from 'vitest';
import type { Trainer } from '../../core/train/trainer.ts';
import { PRESET_SETTINGS, type RunSummary } from '../protocol/index.ts';
import { RunKeeper } from './runKeeper.ts';
import { memoryRunStore } from './runStore.ts';

/** Only what the keeper reads of a trainer (its identity, step and horizon). */
const fakeTrainer = (totalSteps = 10) => ({ stepIndex: 0, recipe: { totalSteps } }) as unknown as Trainer & { stepIndex: number };

/** A snapshotter whose encodes wait until released: shows what a step waits for. */
function gatedSnapshots() {
  const taken: number[] = [];
  const release: Array<() => void> = [];
  const snapshot = (t: Trainer) => {
    const step = t.stepIndex;
    taken.push(step);
    return () => new Promise<Uint8Array>((resolve) => release.push(() => resolve(Uint8Array.of(step))));
  };
  return { taken, release, snapshot };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('RunKeeper (in-memory store)', () => {
  it('checkpoints by policy in the background, one save at a time, metrics cut to the checkpoint', async () => {
    const store = memoryRunStore();
    const updates: RunSummary[] = [];
    const gate = gatedSnapshots();
    let now = 0;
    const keeper = new RunKeeper(store, { snapshot: gate.snapshot, now: () => now, random32: () => 7, onUpdate: (r) => updates.push(r), policy: { everySteps: 2, everyMs: 60_000 } });
    const t = fakeTrainer();
    const { id } = await keeper.attach(t, { preset: 'tiny', settings: PRESET_SETTINGS.tiny, data: 'synthetic' });
    const step = (loss: number) => {
      keeper.onProgress(t, t.stepIndex, loss, 0.5, 0.1);
      t.stepIndex++;
      keeper.afterStep(t); // returns at once: a step never waits for a save
    };
    step(3);
    expect(gate.taken).toEqual([]);
    step(2);
    expect(gate.taken).toEqual([2]); // due after 2 steps; its encode is still pending
    step(1.5);
    step(1.2); // due again, but a save is in flight: skipped
    expect(gate.taken).toEqual([2]);
    gate.release[0]();
    await flush();
    const stored = await store.get(id);
    expect(stored?.checkpointStep).toBe(2);
    expect(Array.from(stored?.metrics.loss ?? [])).toEqual([3, 2]);
    expect((await store.checkpoint(id))?.bytes).toEqual(Uint8Array.of(2));
    step(1.1); // 5 steps, 3 since the checkpoint
    expect(gate.taken).toEqual([2, 5]);
    gate.release[1]();
    await keeper.flush();
    expect((await store.get(id))?.metrics.loss.length).toBe(5);

    // time also makes a checkpoint due; a pause checkpoints and stores the status
    now = 60_000;
    step(1);
    expect(gate.taken).toEqual([2, 5, 6]);
    gate.release[2]();
    step(0.9);
    const paused = keeper.onState(t, 'paused');
    await flush();
    expect(gate.taken).toEqual([2, 5, 6, 7]);
    gate.release[3]();
    await paused;
    expect(await keeper.list()).toMatchObject([{ id, status: 'paused', step: 7, checkpointStep: 7, live: true }]);
    expect(updates.at(-1)).toMatchObject({ status: 'paused', checkpointStep: 7 });

    // a status write without new steps keeps the stored metrics; another keeper sees it interrupted
    await keeper.onState(t, 'paused');
    expect((await store.get(id))?.metrics.loss.length).toBe(7);
    const other = new RunKeeper(store);
    expect(await other.list()).toMatchObject([{ id, status: 'interrupted', live: false }]);
    await expect(other.remove('nope', false)).rejects.toThrow(/no stored run nope/);
    await expect(keeper.remove(id, true)).rejects.toThrow(/it is training/);
    await keeper.remove(id, false);
    expect(await keeper.list()).toEqual([]);
    expect(keeper.liveId).toBeNull();
  });

  it('ignores a trainer that is not the live one, and refuses to resume a run without a checkpoint', async () => {
    const store = memoryRunStore();
    const keeper = new RunKeeper(store, { snapshot: () => async () => new Uint8Array(1) });
    const t = fakeTrainer();
    const { id } = await keeper.attach(t, { preset: 'tiny', settings: PRESET_SETTINGS.tiny, data: 'synthetic' });
    const stranger = fakeTrainer();
    stranger.stepIndex = 50;
    keeper.onProgress(stranger, 0, 1, 1, 1);
    keeper.afterStep(stranger);
    await keeper.onState(stranger, 'done');
    expect(await store.checkpoint(id)).toBeNull();
    await expect(keeper.resumePoint(id)).rejects.toThrow(/has no checkpoint yet/);
    expect(keeper.drop()).toBe(id);
    expect(keeper.liveId).toBeNull();
  });
});
