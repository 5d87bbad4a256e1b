// Stream events applied at most once per animation frame: events that arrive between two frames
// are queued and applied together in one store update, so a fast stream (training steps every
// few milliseconds on a real GPU, search generations) causes one redraw per frame at most and a
// slow redraw never makes the page fall ever further behind. `flush` applies the queue at once
// (before an event that must come after it); `drop` forgets it (a new run).

/** Runs `f` before the next frame (a timer where there are no frames, e.g. Node tests). */
export const nextFrame = (f: () => void): void => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(f);
  else setTimeout(f, 16);
};

/** The update of several events in a row: each sees the state as the ones before it left it. */
export function foldEvents<S extends object, E>(state: S, events: readonly E[], step: (s: S, ev: E) => Partial<S>): Partial<S> {
  let acc: Partial<S> = {};
  for (const ev of events) acc = { ...acc, ...step({ ...state, ...acc }, ev) };
  return acc;
}

export interface FrameBatch<E> {
  push: (ev: E) => void;
  flush: () => void;
  drop: () => void;
}

export function frameBatch<E>(apply: (events: E[]) => void, schedule: (f: () => void) => void = nextFrame): FrameBatch<E> {
  let queued: E[] = [];
  let scheduled = false;
  const flush = () => {
    const evs = queued;
    queued = [];
    if (evs.length) apply(evs);
  };
  return {
    push: (ev) => {
      queued.push(ev);
      if (scheduled) return;
      scheduled = true;
      schedule(() => {
        scheduled = false;
        flush();
      });
    },
    flush,
    drop: () => {
      queued = [];
    },
  };
}
