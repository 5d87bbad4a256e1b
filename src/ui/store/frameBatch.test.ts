import { describe, expect, it } from 'vitest';
import { frameBatch } from './frameBatch.ts';

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
