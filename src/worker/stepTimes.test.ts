import { describe, expect, it } from 'vitest';
import { StepTimes } from './stepTimes.ts';

describe('StepTimes', () => {
  it('has no rate and no ETA during warm-up (the first step after a start)', () => {
    const t = new StepTimes(1, 5);
    expect(t.warming).toBe(true);
    expect(t.etaSec(10)).toBeNaN();
    t.add(43_000); // shader compilation
    expect(t.warming).toBe(true);
    expect(t.imagesPerSec(8)).toBeNaN();
    t.add(200);
    expect(t.warming).toBe(false);
    expect(t.msPerStep).toBe(200);
    expect(t.etaSec(10)).toBeCloseTo(2, 12);
    expect(t.imagesPerSec(8)).toBeCloseTo(40, 12);
  });

  it('takes the median of the last steady steps, so one slow step does not move the ETA', () => {
    const t = new StepTimes(0, 5);
    for (const ms of [100, 110, 90, 5000, 105]) t.add(ms);
    // sorted: 90 100 105 110 5000 -> 105 (a mean would be 1081)
    expect(t.msPerStep).toBe(105);
    t.add(95); // window drops the 100
    // 110 90 5000 105 95 -> sorted 90 95 105 110 5000
    expect(t.msPerStep).toBe(105);
    const even = new StepTimes(0, 4);
    for (const ms of [10, 40, 20, 30]) even.add(ms);
    expect(even.msPerStep).toBe(25);
  });

  it('agrees with a sorted window for random times', () => {
    const t = new StepTimes(2, 7);
    const all: number[] = [];
    for (let i = 0; i < 50; i++) {
      const ms = 50 + 40 * Math.abs(Math.sin(i * 12.9898));
      all.push(ms);
      t.add(ms);
      const steady = all.slice(2).slice(-7).sort((a, b) => a - b);
      if (steady.length === 0) expect(t.msPerStep).toBeNaN();
      else {
        const m = steady.length >> 1;
        expect(t.msPerStep).toBe(steady.length % 2 ? steady[m] : (steady[m - 1] + steady[m]) / 2);
      }
    }
  });

  it('a resume is warm-up again; earlier steady steps still count', () => {
    const t = new StepTimes(1, 9);
    t.add(9000);
    t.add(100);
    t.restart();
    t.add(7000); // recompiles after the pause: not counted
    expect(t.msPerStep).toBe(100);
    t.add(120);
    expect(t.msPerStep).toBe(110);
    expect(t.etaSec(-3)).toBe(0);
  });
});
