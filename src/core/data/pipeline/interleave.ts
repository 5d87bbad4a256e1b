// Many shards read at once: up to `width` readers are open, one item is taken from each in turn
// (round robin); when a reader ends, the next shard in the list opens in its place. Memory: one
// pending item per open reader.

/**
 * Round-robin interleave of the iterables that `open(i)` returns for i = 0..count-1, opened lazily
 * in that order, at most `width` at a time.
 */
export async function* interleave<T>(count: number, width: number, open: (i: number) => Promise<AsyncIterator<T>>): AsyncGenerator<T, void, undefined> {
  const active: AsyncIterator<T>[] = [];
  let next = 0;
  try {
    while (active.length < width && next < count) active.push(await open(next++));
    let i = 0;
    while (active.length > 0) {
      if (i >= active.length) i = 0;
      const r = await active[i].next();
      if (r.done) {
        if (next < count) active[i] = await open(next++);
        else active.splice(i, 1);
        continue;
      }
      yield r.value;
      i++;
    }
  } finally {
    await Promise.all(active.map((it) => it.return?.()));
  }
}
