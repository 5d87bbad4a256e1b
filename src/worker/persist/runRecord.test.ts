import { describe, expect, it } from 'vitest';
import { checkpointDue, listedStatus, makeRunId, MetricsBuffer, validatePolicy } from './runRecord.ts';

describe('run record rules', () => {
  it('MetricsBuffer appends past its capacity, cuts back on a repeated step, and refuses gaps', () => {
    const m = new MetricsBuffer();
    for (let i = 0; i < 200; i++) m.put(i, i, i / 1000, 0.5);
    expect(m.length).toBe(200);
    const h = m.history();
    expect(h.loss.length).toBe(200);
    expect(h.loss[199]).toBe(199);
    m.put(150, -1, 0, 0); // a resumed run re-takes step 150
    expect(m.length).toBe(151);
    expect(m.history().loss[150]).toBe(-1);
    expect(() => m.put(153, 0, 0, 0)).toThrow(/step 153 does not follow the 151 recorded steps/);
    expect(m.history(10).acc.length).toBe(10);
    const copy = new MetricsBuffer(m.history(5));
    copy.put(5, 7, 7, 7);
    expect(Array.from(copy.history().loss)).toEqual([0, 1, 2, 3, 4, 7]);
  });

  it('checkpointDue: after everySteps steps or everyMs ms, never without a new step', () => {
    const p = { everySteps: 20, everyMs: 30_000 };
    expect(checkpointDue(p, 19, { step: 0, ms: 0 }, 1_000)).toBe(false);
    expect(checkpointDue(p, 20, { step: 0, ms: 0 }, 1_000)).toBe(true);
    expect(checkpointDue(p, 21, { step: 20, ms: 0 }, 29_999)).toBe(false);
    expect(checkpointDue(p, 21, { step: 20, ms: 0 }, 30_000)).toBe(true);
    expect(checkpointDue(p, 20, { step: 20, ms: 0 }, 99_000)).toBe(false);
    expect(() => validatePolicy({ everySteps: 0, everyMs: 1 })).toThrow(/everySteps/);
    expect(() => validatePolicy({ everySteps: 2, everyMs: -1 })).toThrow(/everyMs/);
  });

  it('a run stored as running or paused is listed as interrupted unless it is the live one', () => {
    expect(listedStatus('running', false)).toBe('interrupted');
    expect(listedStatus('paused', false)).toBe('interrupted');
    expect(listedStatus('running', true)).toBe('running');
    expect(listedStatus('done', false)).toBe('done');
    expect(makeRunId(1_700_000_000_000, 5)).toBe('run-loyw3v28-0000005');
  });
});
