// When live isometry watches: a cadence that adapts so that watching takes at most a share s of
// the wall time (default 10 %). Pure arithmetic over durations it is told (no clock), so it is
// unit-tested without timing.
//
// Rule: T = summed duration of the training steps so far (everything between steps but the
// watching: data, step, read-backs, checkpoints), W = summed duration of the analyses so far,
// w = the estimate of the next analysis (exponential moving average of past ones, weight 0.5 on
// the newest). After each step the watcher analyses when
//   - it never has (the first step is always watched: it gives the first point and the estimate), or
//   - (W + w) <= s * (T + W + w): the share after this analysis, if it costs w, stays within s.
// So after the first analysis the running share W / (T + W) stays at or below s up to the error of
// the estimate, and approaches s from below when analyses cost more than a step (one analysis every
// about (1 - s) / s * w of training). s = 0 never watches; s = 1 watches after every step. Paused
// time is not counted: only the durations reported here are.

export const DEFAULT_WATCH_SHARE = 0.1;
/** Weight of the newest analysis in the cost estimate. */
const ESTIMATE_ALPHA = 0.5;

export class WatchCadence {
  private trainMs = 0;
  private watchMs = 0;
  private estimateMs: number | null = null;
  private watchCount = 0;

  constructor(readonly share: number = DEFAULT_WATCH_SHARE) {
    if (!(share >= 0 && share <= 1)) throw new Error(`watch share must be a number in [0, 1], got ${share}`);
  }

  /** A training step (and what else happened between steps, watching excluded) took `ms`. */
  addStep(ms: number): void {
    if (ms > 0) this.trainMs += ms;
  }

  /** Whether to analyse now (after the step just reported). */
  due(): boolean {
    if (this.share <= 0) return false;
    if (this.share >= 1 || this.estimateMs === null) return true;
    const w = this.estimateMs;
    return this.watchMs + w <= this.share * (this.trainMs + this.watchMs + w);
  }

  /** An analysis took `ms`. */
  addWatch(ms: number): void {
    const d = Math.max(0, ms);
    this.watchMs += d;
    this.watchCount++;
    this.estimateMs = this.estimateMs === null ? d : ESTIMATE_ALPHA * d + (1 - ESTIMATE_ALPHA) * this.estimateMs;
  }

  /** Measured share of watching in the reported time, W / (T + W) (0 before anything). */
  get measuredShare(): number {
    const total = this.trainMs + this.watchMs;
    return total > 0 ? this.watchMs / total : 0;
  }

  get totals(): { trainMs: number; watchMs: number; watches: number } {
    return { trainMs: this.trainMs, watchMs: this.watchMs, watches: this.watchCount };
  }
}
