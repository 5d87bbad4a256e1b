import { describe, expect, it } from 'vitest';
import { attributeLongFrames, type LongFrameEntry } from './longFrames.ts';

const entry = (startTime: number, duration: number, scriptMs: number, topInvoker: string | null): LongFrameEntry => ({ startTime, duration, blockingDuration: Math.max(0, duration - 50), scriptMs, topInvoker });

describe('attributeLongFrames', () => {
  it('splits long rAF intervals by whether a long animation frame overlaps them', () => {
    // intervals: 16, 84 (100..184: overlaps the entry at 120), 16, 100 (200..300: no entry), 16
    const ts = [84, 100, 184, 200, 300, 316];
    const entries = [entry(120, 70, 60, 'MessagePort.onmessage'), entry(400, 60, 5, null), entry(500, 55, 30, 'MessagePort.onmessage')];
    const r = attributeLongFrames(ts, entries);
    expect(r.overBudget).toBe(2);
    expect(r.withMainThreadWork).toBe(1);
    expect(r.withoutMainThreadWork).toBe(1);
    expect(r.entries).toBe(3);
    expect(r.scriptMs).toBe(95);
    expect(r.byInvoker).toEqual([
      { invoker: 'MessagePort.onmessage', entries: 2, scriptMs: 90 },
      { invoker: '(no script: style, layout, paint)', entries: 1, scriptMs: 5 },
    ]);
  });
  it('counts an entry that only touches an interval edge as no overlap, and respects the budget', () => {
    const ts = [0, 60];
    expect(attributeLongFrames(ts, [entry(60, 70, 1, 'x')]).withMainThreadWork).toBe(0);
    expect(attributeLongFrames(ts, [entry(59, 70, 1, 'x')]).withMainThreadWork).toBe(1);
    expect(attributeLongFrames(ts, [], 60).overBudget).toBe(0);
  });
});
