import { describe, expect, it } from 'vitest';
import { foldEvents, frameBatch } from './frameBatch.ts';

describe('frameBatch', () => {
  it('applies the events of one frame together, in order, once per frame', () => {
    const frames: Array<() => void> = [];
    const applied: number[][] = [];
    const b = frameBatch<number>((evs) => applied.push(evs), (f) => frames.push(f));
    b.push(1);
    b.push(2);
    b.push(3);
    expect(frames).toHaveLength(1); // one frame scheduled for the three
    expect(applied).toEqual([]);
    frames.shift()!();
    expect(applied).toEqual([[1, 2, 3]]);
    b.push(4);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(applied).toEqual([[1, 2, 3], [4]]);
  });
  it('flush applies the queue at once; drop forgets it; an empty frame applies nothing', () => {
    const frames: Array<() => void> = [];
    const applied: number[][] = [];
    const b = frameBatch<number>((evs) => applied.push(evs), (f) => frames.push(f));
    b.push(1);
    b.flush();
    expect(applied).toEqual([[1]]);
    frames.shift()!(); // the frame finds nothing left
    expect(applied).toEqual([[1]]);
    b.push(2);
    b.drop();
    frames.shift()!();
    expect(applied).toEqual([[1]]);
  });
});

describe('foldEvents', () => {
  it('applies events in order, each on the state the ones before it left, and returns only the changes', () => {
    const state = { total: 1, log: [] as number[], other: 'kept' };
    const step = (s: typeof state, ev: number) => ({ total: s.total * ev, log: [...s.log, s.total] });
    expect(foldEvents(state, [2, 3, 4], step)).toEqual({ total: 24, log: [1, 2, 6] });
    expect(foldEvents(state, [], step)).toEqual({});
    expect(state).toEqual({ total: 1, log: [], other: 'kept' });
  });
});
