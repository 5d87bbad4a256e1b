// A bounded, seeded shuffle buffer (webdataset's / tf.data's streaming shuffle): the first
// `capacity` items fill it; after that every new item replaces a uniformly chosen one, which is
// emitted; at the end the rest is emitted in random order. Memory: `capacity` items. The output
// order is a function of the input order and the Rng alone.
import type { Rng } from '../../rng.ts';

export class ShuffleBuffer<T> {
  private readonly items: T[] = [];

  constructor(
    readonly capacity: number,
    private readonly rng: Rng,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`shuffle buffer: capacity must be an integer >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.items.length;
  }

  /** Add `x`; once full, returns the item it displaced (uniform over the buffer), else undefined. */
  add(x: T): T | undefined {
    if (this.items.length < this.capacity) {
      this.items.push(x);
      return undefined;
    }
    const j = this.rng.int(this.capacity);
    const out = this.items[j];
    this.items[j] = x;
    return out;
  }

  /** Remove and return a uniformly chosen item (undefined when empty). */
  take(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const j = this.rng.int(n);
    const out = this.items[j];
    this.items[j] = this.items[n - 1];
    this.items.pop();
    return out;
  }
}

/** `source` through a ShuffleBuffer of `capacity` (capacity 1 = no shuffling). */
export async function* shuffled<T>(source: AsyncIterable<T>, capacity: number, rng: Rng): AsyncGenerator<T, void, undefined> {
  const buf = new ShuffleBuffer<T>(capacity, rng);
  for await (const x of source) {
    const out = buf.add(x);
    if (out !== undefined) yield out;
  }
  for (let x = buf.take(); x !== undefined; x = buf.take()) yield x;
}
