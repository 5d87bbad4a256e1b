import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { testRecipe } from '../src/core/testing/fixtures.ts';
import { useCpuBackend } from '../src/core/testing/tfCpu.ts';
import { runInterleavedAB } from './leverBench.ts';

beforeAll(useCpuBackend);

describe('runInterleavedAB', () => {
  it('alternates A B / B A, times each half with its own setting, drops warm-up rounds and restores the lever', async () => {
    let current: 'a' | 'b' | 'x' = 'x';
    const sets: string[] = [];
    const set = (m: 'a' | 'b' | 'x') => {
      sets.push(m);
      const prev = current;
      current = m;
      return prev;
    };
    // a step costs 1 ms with the lever at a, 3 ms at b (the clock advances on every second call: a step's end)
    let t = 0;
    let calls = 0;
    const clock = () => {
      calls++;
      if (calls % 2 === 0) t += current === 'a' ? 1 : 3;
      return t;
    };
    const before = tf.memory().numTensors;
    const r = await runInterleavedAB(testRecipe({ space: 'demo-mbv2' }), 2, 1, { a: 'a', b: 'b', set }, clock);
    expect(sets).toEqual(['a', 'a', 'b', 'b', 'a', 'a', 'b', 'x']);
    expect(current).toBe('x');
    expect(r).toMatchObject({ steps: 2, warmupRounds: 1, aStepMs: [1, 1], bStepMs: [3, 3], aMedianMs: 1, bMedianMs: 3 });
    expect(r.ratio).toBeCloseTo(1 / 3);
    expect(tf.memory().numTensors).toBe(before);
  });
});
