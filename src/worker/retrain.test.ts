import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticSource } from '../core/data/source.ts';
import { readSubnetCheckpointMeta } from '../core/retrain/index.ts';
import { archCost, getSpace, resolveSpace } from '../core/space/index.ts';
import { testRecipe } from '../core/testing/fixtures.ts';
import { useCpuBackend } from '../core/testing/tfCpu.ts';
import type { EngineEvent, RetrainEvalEvent, RetrainProgressEvent, RetrainResultEvent, RetrainStartCommand, TrainStateName } from './protocol/index.ts';
import { syntheticDataOf } from '../core/train/recipe.ts';
import { RetrainService, type RetrainableSession } from './retrain.ts';

beforeAll(useCpuBackend);

const recipe = testRecipe({ sampler: 'uniform' }); // bnnas-mbv2, 16 px, width 0.25, 4 classes, batch 8
const space = getSpace(recipe.space);
const rs = resolveSpace(space, recipe.config);
/** The cheapest subnet: identity where offered, else the first candidate. */
const ARCH = rs.layers.map((l) => l.choices[0]);

function session(state: TrainStateName = 'done', numClasses = recipe.config.numClasses): RetrainableSession {
  return { state, trainer: { recipe }, source: syntheticSource({ ...syntheticDataOf(recipe), numClasses }) };
}

function recorder() {
  const events: EngineEvent[] = [];
  const svc = new RetrainService((ev) => events.push(ev));
  const until = async (cond: () => boolean) => {
    while (!cond()) await new Promise((r) => setTimeout(r, 2));
  };
  return { events, svc, until };
}

const cmd = (o: Partial<RetrainStartCommand> = {}): RetrainStartCommand => ({ type: 'retrainStart', id: 4, arch: ARCH, steps: 2, evalBatches: 1, evalEvery: 1, ...o });

describe('RetrainService', () => {
  it('trains the subnet, streams steps and evaluations, returns top-1/top-5 and a checkpoint; leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const { events, svc, until } = recorder();
    await svc.start(cmd(), session());
    expect(svc.running).toBe(true);
    await until(() => events.some((e) => e.type === 'retrainResult' || e.type === 'error'));
    await svc.settled();
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    const steps = events.filter((e): e is RetrainProgressEvent => e.type === 'retrainProgress');
    expect(steps.map((s) => [s.id, s.step, s.totalSteps])).toEqual([[4, 0, 2], [4, 1, 2]]);
    for (const s of steps) expect(Number.isFinite(s.loss) && s.loss > 0).toBe(true);
    const evals = events.filter((e): e is RetrainEvalEvent => e.type === 'retrainEval');
    expect(evals.map((e) => e.step)).toEqual([1, 2]); // evalEvery 1 (before the last step), then the final one
    const r = events.at(-1) as RetrainResultEvent;
    expect(r).toMatchObject({ type: 'retrainResult', id: 4, stopped: false, arch: ARCH, space: 'bnnas-mbv2', steps: 2, totalSteps: 2, images: 8, data: 'synthetic' });
    expect(r.top1).toBe(evals[1].top1);
    expect(r.top1 >= 0 && r.top1 <= r.top5 && r.top5 <= 1).toBe(true);
    const cost = archCost(space, recipe.config, ARCH);
    expect([r.params, r.macs]).toEqual([cost.params, cost.macs]);
    const meta = readSubnetCheckpointMeta(r.checkpoint, 'retrain');
    expect(meta.step).toBe(2);
    expect(meta.recipe.arch).toEqual(ARCH);
    expect(meta.recipe.config).toEqual(recipe.config);
    expect(svc.running).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops between steps and still evaluates', async () => {
    const before = tf.memory().numTensors;
    const { events, svc, until } = recorder();
    await svc.start(cmd({ steps: 50, evalEvery: 0, id: 8 }), session('paused'));
    await until(() => events.some((e) => e.type === 'retrainProgress'));
    await svc.stop({ type: 'retrainStop', id: 9 });
    const r = events.find((e) => e.type === 'retrainResult') as RetrainResultEvent;
    expect(r.stopped).toBe(true);
    expect(r.steps).toBeGreaterThanOrEqual(1);
    expect(r.steps).toBeLessThan(50);
    expect(events.at(-1)).toEqual({ type: 'retrainStopped', id: 9, wasRunning: true });
    await svc.stop({ type: 'retrainStop', id: 10 });
    expect(events.at(-1)).toEqual({ type: 'retrainStopped', id: 10, wasRunning: false });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses without a session, while training, a second retrain, and bad input', async () => {
    const { svc } = recorder();
    await expect(svc.start(cmd(), null)).rejects.toThrow(/retrain: no supernet yet/);
    await expect(svc.start(cmd(), session('running'))).rejects.toThrow(/supernet is training \(pause or stop it first\)/);
    await expect(svc.start(cmd({ steps: 0 }), session())).rejects.toThrow(/steps must be an integer in 1\.\./);
    await expect(svc.start(cmd({ evalBatches: 0 }), session())).rejects.toThrow(/evalBatches must be null or an integer >= 1/);
    const bad = [...ARCH];
    bad[3] = 42;
    await expect(svc.start(cmd({ arch: bad }), session())).rejects.toThrow(/retrain: invalid retrain recipe: .*layer 3/);
    await expect(svc.start(cmd(), session('done', 7))).rejects.toThrow(/has 7 classes; the recipe has 4/);
    expect(svc.running).toBe(false);
    await svc.start(cmd({ steps: 30, evalEvery: 0 }), session());
    await expect(svc.start(cmd(), session())).rejects.toThrow(/already running/);
    await svc.stop({ type: 'retrainStop', id: 1 });
  });
});
