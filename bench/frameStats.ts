// Frame-time statistics of the UI benchmark (bench/uiFrames.ts): requestAnimationFrame
// timestamps in, intervals and their median / p95 / max out. Pure (unit-tested).

/** Nearest-rank percentile (p in [0, 100]) of a non-empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) throw new Error('percentile of an empty list');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile p must be in [0, 100], got ${p}`);
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1];
}

export interface FrameStats {
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Intervals above the budget (50 ms). */
  overBudget: number;
  budgetMs: number;
}

/** Intervals between consecutive rAF timestamps (ms), summarised. Needs >= 2 timestamps. */
export function frameStats(timestamps: readonly number[], budgetMs = 50): FrameStats {
  if (timestamps.length < 2) throw new Error(`need at least 2 frame timestamps, got ${timestamps.length}`);
  const iv: number[] = [];
  for (let i = 1; i < timestamps.length; i++) iv.push(timestamps[i] - timestamps[i - 1]);
  return {
    frames: iv.length,
    medianMs: percentile(iv, 50),
    p95Ms: percentile(iv, 95),
    maxMs: Math.max(...iv),
    overBudget: iv.filter((d) => d > budgetMs).length,
    budgetMs,
  };
}
