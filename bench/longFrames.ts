// Which long frames of the UI benchmark the app's own main-thread work causes. Chromium's
// Long Animation Frames API (PerformanceObserver type 'long-animation-frame') reports every frame
// whose main-thread work took over 50 ms, with the scripts that ran in it. A rAF interval over
// the budget that overlaps such an entry was (at least partly) the page's own work; one that
// overlaps none is a frame the main thread was ready for but did not get drawn in time: the
// machine (CPU shared with the worker's software GPU, other processes), not the app. Pure.

/** One long-animation-frame entry, reduced to what the attribution needs. */
export interface LongFrameEntry {
  startTime: number;
  duration: number;
  /** Time the main thread was blocked (tasks beyond 50 ms each). */
  blockingDuration: number;
  /** Sum of the entry's script durations (ms). */
  scriptMs: number;
  /** Longest script's invoker (e.g. "MessagePort.onmessage", "FrameRequestCallback"), if any. */
  topInvoker: string | null;
}

export interface LongFrameAttribution {
  /** rAF intervals over the budget. */
  overBudget: number;
  /** ... of which overlap a long-animation-frame entry (the page's main thread was busy). */
  withMainThreadWork: number;
  /** ... of which overlap none (the main thread was not the cause). */
  withoutMainThreadWork: number;
  /** Long-animation-frame entries recorded in the window, and their summed script time. */
  entries: number;
  scriptMs: number;
  /** Script time by the longest script's invoker, largest first. */
  byInvoker: { invoker: string; entries: number; scriptMs: number }[];
}

/** rAF timestamps + long-animation-frame entries of one window -> the attribution of its long frames. */
export function attributeLongFrames(timestamps: readonly number[], entries: readonly LongFrameEntry[], budgetMs = 50): LongFrameAttribution {
  let overBudget = 0;
  let withMainThreadWork = 0;
  for (let i = 1; i < timestamps.length; i++) {
    const a = timestamps[i - 1];
    const b = timestamps[i];
    if (b - a <= budgetMs) continue;
    overBudget++;
    if (entries.some((e) => e.startTime < b && e.startTime + e.duration > a)) withMainThreadWork++;
  }
  const groups = new Map<string, { entries: number; scriptMs: number }>();
  let scriptMs = 0;
  for (const e of entries) {
    scriptMs += e.scriptMs;
    const k = e.topInvoker ?? '(no script: style, layout, paint)';
    const g = groups.get(k) ?? { entries: 0, scriptMs: 0 };
    g.entries++;
    g.scriptMs += e.scriptMs;
    groups.set(k, g);
  }
  const byInvoker = [...groups].map(([invoker, g]) => ({ invoker, ...g })).sort((x, y) => y.scriptMs - x.scriptMs || y.entries - x.entries);
  return { overBudget, withMainThreadWork, withoutMainThreadWork: overBudget - withMainThreadWork, entries: entries.length, scriptMs, byInvoker };
}
