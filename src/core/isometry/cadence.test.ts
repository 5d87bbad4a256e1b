import { describe, expect, it } from 'vitest';
import { DEFAULT_WATCH_SHARE, WatchCadence } from './cadence.ts';

/** Runs `steps` steps of `stepMs` with analyses of `watchMs(k)`; returns the steps watched after. */
function simulate(c: WatchCadence, steps: number, stepMs: number, watchMs: (k: number) => number): number[] {
  const watched: number[] = [];
  for (let s = 0; s < steps; s++) {
    c.addStep(stepMs);
    if (c.due()) {
      c.addWatch(watchMs(watched.length));
      watched.push(s);
    }
  }
  return watched;
}

describe('WatchCadence', () => {
  it('watches the first step, then keeps the share at or below the target', () => {
    const c = new WatchCadence(0.1);
    // analyses cost 10 steps: the (n+1)-th once T >= (1 - s) / s * (n + 1) w = 900 (n + 1) ms,
    // so the first (unconditional) one is paid back before the second, then one every 90 steps
    const watched = simulate(c, 1000, 10, () => 100);
    expect(watched.slice(0, 4)).toEqual([0, 179, 269, 359]);
    expect(c.measuredShare).toBeLessThanOrEqual(0.1 + 1e-12);
    expect(c.measuredShare).toBeGreaterThan(0.09);
    expect(c.totals).toEqual({ trainMs: 10_000, watchMs: 100 * watched.length, watches: watched.length });
  });

  it('watches every step when analyses are cheap enough for the share', () => {
    const c = new WatchCadence(0.5);
    expect(simulate(c, 20, 10, () => 10)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(c.measuredShare).toBeCloseTo(0.5, 12);
  });

  it('adapts when analyses get dearer (the estimate follows them)', () => {
    const c = new WatchCadence(0.2);
    const watched = simulate(c, 400, 10, (k) => (k < 5 ? 10 : 80));
    const gaps = watched.slice(1).map((s, i) => s - watched[i]);
    expect(gaps.slice(1, 4)).toEqual([4, 4, 4]); // (W + 10) <= 0.2 (T + W + 10): 4 steps of 10 per 10 ms analysis
    expect(gaps[gaps.length - 1]).toBeGreaterThanOrEqual(30); // (1 - 0.2) / 0.2 * 80 / 10 = 32 steps
    expect(c.measuredShare).toBeLessThanOrEqual(0.2 + 0.02);
  });

  it('share 0 never watches, share 1 always does, paused time does not count', () => {
    expect(simulate(new WatchCadence(0), 50, 10, () => 1)).toEqual([]);
    expect(simulate(new WatchCadence(1), 5, 10, () => 1000)).toEqual([0, 1, 2, 3, 4]);
    const c = new WatchCadence(0.1);
    c.addStep(10);
    expect(c.due()).toBe(true);
    c.addWatch(100);
    c.addStep(-5); // ignored
    expect(c.due()).toBe(false);
    expect(DEFAULT_WATCH_SHARE).toBe(0.1);
    expect(() => new WatchCadence(1.5)).toThrow('watch share must be a number in [0, 1], got 1.5');
    expect(() => new WatchCadence(Number.NaN)).toThrow('[0, 1]');
  });
});
