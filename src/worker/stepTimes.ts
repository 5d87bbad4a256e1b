// The training loop's step rate for people: images/s and the ETA come from the median of the last
// steady steps. The first step after each start or resume is warm-up (a GPU backend compiles the
// programs of the candidates the step meets, seconds to a minute on the first step, tens of
// milliseconds after), so it is never counted; until a steady step has been timed there is no
// rate and no ETA (NaN, shown as "–"). The median, unlike a moving average, is not pulled up by
// one slow step (a new candidate met late, a tab in the background). Pure.

/** Steps at the start of each run of the loop that are not timed. */
export const WARMUP_STEPS = 1;
/** Steady steps the median is taken over. */
export const RATE_WINDOW = 9;

export class StepTimes {
  private readonly recent: number[] = [];
  private sinceStart = 0;

  constructor(
    readonly warmupSteps = WARMUP_STEPS,
    readonly window = RATE_WINDOW,
  ) {}

  /** The loop (re)starts: its next `warmupSteps` steps are warm-up again. */
  restart(): void {
    this.sinceStart = 0;
  }

  /** A step took `ms` milliseconds. */
  add(ms: number): void {
    this.sinceStart++;
    if (this.sinceStart <= this.warmupSteps || !Number.isFinite(ms) || ms < 0) return;
    this.recent.push(ms);
    if (this.recent.length > this.window) this.recent.shift();
  }

  /** True while no steady step has been timed (the warm-up phase). */
  get warming(): boolean {
    return this.recent.length === 0;
  }

  /** Median milliseconds of the last steady steps; NaN while warming up. */
  get msPerStep(): number {
    if (this.recent.length === 0) return Number.NaN;
    const s = [...this.recent].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** Images per second at the median step time (NaN while warming up). */
  imagesPerSec(batchSize: number): number {
    return (batchSize * 1000) / Math.max(this.msPerStep, 1e-3);
  }

  /** Seconds to take `stepsLeft` more steps at the median step time (NaN while warming up). */
  etaSec(stepsLeft: number): number {
    return (Math.max(0, stepsLeft) * this.msPerStep) / 1000;
  }
}
