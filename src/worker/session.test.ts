import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { testRecipe } from '../core/testing/fixtures.ts';
import { useCpuBackend } from '../core/testing/tfCpu.ts';
import { Trainer } from '../core/train/trainer.ts';
import type { TrainStateName } from './protocol/index.ts';
import { TrainSession, type SessionSink } from './session.ts';

beforeAll(useCpuBackend);

function recorder() {
  const log = { steps: [] as number[], indicators: [] as Array<{ step: number; n: number }>, states: [] as TrainStateName[], errors: [] as string[] };
  const sink: SessionSink = {
    progress: (p) => log.steps.push(p.step),
    indicators: (step, _choices, scores) => log.indicators.push({ step, n: scores.length }),
    state: (s) => log.states.push(s),
    error: (m) => log.errors.push(m),
  };
  return { log, sink };
}

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

describe('TrainSession', () => {
  it('starts, pauses between steps, resumes, runs to done, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const { log, sink } = recorder();
    const s = new TrainSession(new Trainer(testRecipe({ sampler: 'uniform', totalSteps: 3 })), sink);
    const layers = s.choices.length;
    const cells = s.choices.reduce((a, c) => a + c.length, 0);
    expect(layers).toBeGreaterThan(0);

    expect(await s.control('trainStart')).toBe('running');
    await until(() => log.steps.length >= 1);
    expect(await s.control('trainPause')).toBe('paused');
    const paused = s.steps;
    expect(log.steps).toHaveLength(paused); // the pause answered after the step in flight
    await new Promise((r) => setTimeout(r, 50));
    expect(s.steps).toBe(paused);
    expect(log.indicators.at(-1)).toEqual({ step: paused, n: cells });

    expect(await s.control('trainResume')).toBe('running');
    await until(() => log.states.includes('done'));
    expect(log.steps).toEqual([0, 1, 2]);
    expect(s.state).toBe('done');
    expect(log.indicators.at(-1)).toEqual({ step: 3, n: cells });
    await expect(s.control('trainResume')).rejects.toThrow(/cannot resume: the session is done/);
    expect(log.errors).toEqual([]);
    await s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops cooperatively and refuses to restart', async () => {
    const before = tf.memory().numTensors;
    const { log, sink } = recorder();
    const s = new TrainSession(new Trainer(testRecipe({ sampler: 'uniform', totalSteps: 50 })), sink);
    await s.control('trainStart');
    await until(() => log.steps.length >= 1);
    expect(await s.control('trainStop')).toBe('stopped');
    const n = log.steps.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(log.steps).toHaveLength(n);
    await expect(s.control('trainStart')).rejects.toThrow(/cannot start/);
    await s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('warmUpFirst: warm-up progress before the first step, once, and the same losses as without it', async () => {
    const run = async (warm: boolean) => {
      const events: string[] = [];
      const losses: number[] = [];
      const sink: SessionSink = {
        progress: (p) => {
          events.push(`step ${p.step}`);
          losses.push(p.loss);
        },
        indicators: () => {},
        state: () => {},
        error: (m) => events.push(`error ${m}`),
        warmup: (done, total) => events.push(`warm ${done}/${total}`),
      };
      const s = new TrainSession(new Trainer(testRecipe({ sampler: 'uniform', totalSteps: 3 })), sink);
      s.warmUpFirst = warm;
      await s.control('trainStart');
      await until(() => events.includes('step 0'));
      await s.control('trainPause');
      const held = tf.memory().numTensors; // between steps: the trainer's state only
      await s.control('trainResume'); // no second warm-up on resume
      await until(() => events.includes('step 2'));
      await s.dispose();
      return { events, losses, held, m: Math.max(...s.choices.map((c) => c.length)) };
    };
    const warm = await run(true);
    const cold = await run(false);
    const m = warm.m;
    expect(warm.events).toEqual([...Array.from({ length: m + 1 }, (_, i) => `warm ${i}/${m}`), 'step 0', 'step 1', 'step 2']);
    expect(cold.events).toEqual(['step 0', 'step 1', 'step 2']);
    expect(warm.losses).toEqual(cold.losses); // the warm-up leaves the trainer's state as it was
    expect(warm.held).toBe(cold.held); // and no tensor behind
  });
});

describe('TrainSession divergence', () => {
  it('a non-finite loss stops the session with an error naming the step and the likely cause; no checkpoint of that state', async () => {
    const real = Trainer.prototype.step;
    const spy = vi.spyOn(Trainer.prototype, 'step').mockImplementation(async function (this: Trainer, x, y) {
      const r = await real.call(this, x, y);
      return r.step === 1 ? { ...r, loss: Number.POSITIVE_INFINITY } : r;
    });
    try {
      const before = tf.memory().numTensors;
      const { log, sink } = recorder();
      const saved: number[] = [];
      const s = new TrainSession(new Trainer(testRecipe({ sampler: 'uniform', totalSteps: 5 })), { ...sink, afterStep: (t) => saved.push(t.stepIndex) });
      await s.control('trainStart');
      await until(() => log.states.includes('stopped'));
      expect(log.steps).toEqual([0]);
      expect(saved).toEqual([1]);
      expect(log.errors).toHaveLength(1);
      expect(log.errors[0]).toMatch(/^training stopped: diverged at step 1: loss is Infinity; likely cause: the learning rate \(.+\) is too high/);
      await s.dispose();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      spy.mockRestore();
    }
  });
});
