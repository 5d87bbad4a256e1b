import { describe, expect, it } from 'vitest';
import { createRng } from '../../rng.ts';
import { interleave } from './interleave.ts';
import { ShuffleBuffer, shuffled } from './shuffle.ts';
import { isHeldOut, splitHash } from './split.ts';

async function* count(n: number, onPull?: (i: number) => void) {
  for (let i = 0; i < n; i++) {
    onPull?.(i);
    yield i;
  }
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('shuffle buffer', () => {
  it('emits a permutation, never holds more than its capacity, and never runs ahead of it', async () => {
    const cap = 16;
    let pulled = 0;
    const out: number[] = [];
    for await (const x of shuffled(count(500, (i) => (pulled = i + 1)), cap, createRng(5))) {
      // When x is emitted, at most cap items have been pulled but not yet emitted.
      expect(pulled - out.length - 1).toBeLessThanOrEqual(cap);
      out.push(x);
    }
    expect([...out].sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    // Item i can come out no earlier than position i - cap (it enters after i pulls; one leaves per pull once full).
    out.forEach((x, pos) => expect(x).toBeLessThanOrEqual(pos + cap));
    expect(out).not.toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('is deterministic per seed; capacity 1 keeps the order', async () => {
    expect(await all(shuffled(count(100), 8, createRng(1)))).toEqual(await all(shuffled(count(100), 8, createRng(1))));
    expect(await all(shuffled(count(100), 8, createRng(1)))).not.toEqual(await all(shuffled(count(100), 8, createRng(2))));
    expect(await all(shuffled(count(10), 1, createRng(1)))).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('mixes: with a full-size buffer every position is near uniform', async () => {
    // 3000 shuffles of 0..3 with capacity 4: each value at position 0 about 1/4 of the time.
    const hits = [0, 0, 0, 0];
    for (let s = 0; s < 3000; s++) hits[(await all(shuffled(count(4), 4, createRng(s))))[0]]++;
    for (const h of hits) expect(Math.abs(h - 750)).toBeLessThan(4 * Math.sqrt(3000 * 0.25 * 0.75));
  });

  it('rejects a bad capacity', () => {
    expect(() => new ShuffleBuffer(0, createRng(0))).toThrow(/capacity/);
  });
});

describe('split by key hash', () => {
  it('is deterministic, depends on the key only, and holds out about the fraction', () => {
    const keys = Array.from({ length: 20000 }, (_, i) => `n01440764_${i}`);
    const held = keys.filter((k) => isHeldOut(k, 0.1, 0));
    const sd = Math.sqrt(20000 * 0.1 * 0.9);
    expect(Math.abs(held.length - 2000)).toBeLessThan(4 * sd);
    expect(keys.filter((k) => isHeldOut(k, 0.1, 0))).toEqual(held);
    // Nested: a larger fraction holds out a superset.
    const held2 = new Set(keys.filter((k) => isHeldOut(k, 0.2, 0)));
    expect(held.every((k) => held2.has(k))).toBe(true);
    // Another split seed gives another split.
    const other = keys.filter((k) => isHeldOut(k, 0.1, 1));
    expect(other).not.toEqual(held);
    expect(isHeldOut('x', 0, 0)).toBe(false);
    expect(splitHash('x', 0)).toBeGreaterThanOrEqual(0);
    expect(splitHash('x', 0)).toBeLessThan(1);
  });
});

describe('interleave', () => {
  it('takes one item from each open source in turn, opening the next when one ends, at most width open', async () => {
    const lens = [3, 1, 2, 2];
    let open = 0;
    let maxOpen = 0;
    const src = (i: number) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      return (async function* () {
        try {
          for (let k = 0; k < lens[i]; k++) yield `${i}.${k}`;
        } finally {
          open--;
        }
      })();
    };
    const got = await all(interleave(4, 2, (i) => Promise.resolve(src(i))));
    expect(got).toEqual(['0.0', '1.0', '0.1', '2.0', '0.2', '2.1', '3.0', '3.1']);
    expect(maxOpen).toBe(2);
    expect(open).toBe(0);
  });

  it('closes the open sources when the consumer stops early', async () => {
    let closed = 0;
    const src = () =>
      (async function* () {
        try {
          for (let k = 0; ; k++) yield k;
        } finally {
          closed++;
        }
      })();
    for await (const x of interleave(3, 3, () => Promise.resolve(src()))) if (x === 2) break;
    expect(closed).toBe(3);
  });
});
