// One training session in the worker: a Trainer on a BatchSource (the built-in synthetic data unless
// the caller gives one; the caller owns and disposes the source), driven by the
// control commands of protocol/train.ts. The loop is cooperative: it yields to the event loop before
// every step (so pause / stop messages are handled between steps) and checks its state then.
// Only the two scalars per step (inside Trainer.step) and the throttled indicator table are read
// back, asynchronously; nothing here calls dataSync / arraySync.
import * as tf from '@tensorflow/tfjs-core';
import { syntheticSource, type BatchSource } from '../core/data/source.ts';
import type { SpectrumWatcher } from '../core/isometry/watcher.ts';
import type { WatchFrame } from '../core/isometry/watchSeries.ts';
import type { StepResult, Trainer } from '../core/train/trainer.ts';
import type { TrainProgressEvent, TrainStateName } from './protocol/index.ts';
import { syntheticDataOf } from '../core/train/recipe.ts';
import { StepTimes } from './stepTimes.ts';
import { readIndicators, snapshotOf, type IndicatorTable } from '../core/model/indicators.ts';
import { errorMessage } from '../core/errors.ts';
import { batchTensors } from '../core/train/batchTensors.ts';
import { nextTask } from './job.ts';

/** Where the session's stream goes (the worker posts it). */
export interface SessionSink {
  progress(p: Omit<TrainProgressEvent, 'type'>): void;
  /** `scores` is a fresh buffer the sink may transfer. */
  indicators(step: number, choices: number[][], scores: Float32Array): void;
  /** A state change the loop made by itself (done, or stopped by an error). */
  state(state: TrainStateName, step: number): void;
  error(message: string): void;
  /** Between steps, after `progress`: the trainer is quiescent (the run keeper snapshots it here). */
  afterStep?(trainer: Trainer): void;
  /** Watched spectra after a step (before `afterStep`); `histCounts` is a fresh buffer the sink may transfer. */
  watch?(frame: WatchFrame): void;
  /** Warm-up progress before the session's first step (only when `warmUpFirst`): `done` of `total` paths. */
  warmup?(done: number, total: number): void;
}

export type ControlType = 'trainStart' | 'trainPause' | 'trainResume' | 'trainStop';

/** Smallest gap between two indicator tables while running, in milliseconds. */
export const INDICATORS_EVERY_MS = 500;


export class TrainSession {
  private current: TrainStateName = 'idle';
  private loop: Promise<void> | null = null;
  private lastIndicatorsMs = -Infinity;
  /** Step times: images/s and the ETA from the median of the last steady steps (stepTimes.ts). */
  private readonly times = new StepTimes();
  private readonly data: BatchSource;
  private watcher: SpectrumWatcher | null = null;
  /**
   * Run Trainer.warmUp before the session's first step, with progress (`sink.warmup`): on GPU
   * backends, where compiling the candidates' programs is most of the first step. State unchanged.
   */
  warmUpFirst = false;
  private warmed = false;

  constructor(
    readonly trainer: Trainer,
    private readonly sink: SessionSink,
    private readonly now: () => number = () => performance.now(),
    data?: BatchSource,
  ) {
    this.data = data ?? syntheticSource(syntheticDataOf(trainer.recipe));
  }

  /** The data the session trains on (the built-in synthetic data unless one was given). */
  get source(): BatchSource {
    return this.data;
  }

  get state(): TrainStateName {
    return this.current;
  }

  get steps(): number {
    return this.trainer.stepIndex;
  }

  /**
   * Live isometry (src/core/isometry/watcher.ts): analyses the watched modules between steps, on
   * the step's batch, when its cadence says so; null stops watching. Takes effect from the next step.
   */
  setWatcher(w: SpectrumWatcher | null): void {
    this.watcher = w;
  }

  get spectrumWatcher(): SpectrumWatcher | null {
    return this.watcher;
  }

  /** Choices of each searchable layer (-1 = identity), in indicator-table order. */
  get choices(): number[][] {
    return this.trainer.supernet.resolved.layers.map((l) => [...l.choices]);
  }

  /** Applies a control; resolves once it took effect (pause / stop: after the current step). */
  async control(type: ControlType): Promise<TrainStateName> {
    switch (type) {
      case 'trainStart':
        this.expect('idle', 'start');
        this.run();
        break;
      case 'trainResume':
        this.expect('paused', 'resume');
        this.run();
        break;
      case 'trainPause':
        this.expect('running', 'pause');
        this.current = 'paused';
        await this.loop;
        break;
      case 'trainStop':
        if (this.current !== 'running' && this.current !== 'paused') throw new Error(`cannot stop: the session is ${this.current}`);
        this.current = 'stopped';
        await this.loop;
        break;
      default: {
        const unreachable: never = type;
        throw new Error(`unknown control ${String(unreachable)}`);
      }
    }
    return this.current;
  }

  /** Waits for the loop to end (call after stop), then frees every tensor of the trainer. */
  async dispose(): Promise<void> {
    if (this.current === 'running' || this.current === 'paused') this.current = 'stopped';
    await this.loop;
    this.trainer.dispose();
  }

  private expect(state: TrainStateName, verb: string): void {
    if (this.current !== state) throw new Error(`cannot ${verb}: the session is ${this.current}`);
  }

  private run(): void {
    this.current = 'running';
    this.times.restart();
    this.loop = this.runLoop().catch((err: unknown) => {
      this.current = 'stopped';
      this.sink.error(`training stopped: ${errorMessage(err)}`);
      this.sink.state('stopped', this.steps);
    });
  }

  private async runLoop(): Promise<void> {
    const total = this.trainer.recipe.totalSteps;
    for (;;) {
      await nextTask(); // pause / stop messages are handled here
      if (this.current !== 'running') break;
      if (this.trainer.stepIndex >= total) {
        this.current = 'done';
        break;
      }
      if (this.warmUpFirst && !this.warmed) {
        this.warmed = true;
        await this.warmUp();
        continue; // pause / stop are honoured between the warm-up and the first step
      }
      const t0 = this.now();
      const { r, x } = await this.stepOnce();
      if (!Number.isFinite(r.loss)) {
        // divergence is an error, not a result: no report, no checkpoint of this state (the last good one stays)
        x.dispose();
        throw new Error(`diverged at step ${r.step}: loss is ${r.loss}; likely cause: the learning rate (${r.lr}) is too high; the last checkpoint is kept`);
      }
      let t1: number;
      try {
        this.report(r, this.now() - t0, total);
        // watching runs before afterStep, so a checkpoint taken there includes this step's frame
        t1 = await this.watchAfter(x, r.step, this.now() - t0);
      } finally {
        x.dispose();
      }
      this.sink.afterStep?.(this.trainer);
      if (this.now() - this.lastIndicatorsMs >= INDICATORS_EVERY_MS) await this.sendIndicators();
      this.watcher?.addStep(this.now() - t1);
    }
    await this.sendIndicators();
    if (this.current === 'done') this.sink.state('done', this.steps);
  }

  /** The warm-up on a batch of the step's shape (zeros: compiled programs depend on shapes only). */
  private async warmUp(): Promise<void> {
    const { batchSize, config } = this.trainer.recipe;
    const x = tf.zeros([batchSize, config.resolution, config.resolution, 3]) as tf.Tensor4D;
    const y = tf.zeros([batchSize], 'int32') as tf.Tensor1D;
    try {
      await this.trainer.warmUp(x, y, (done, total) => this.sink.warmup?.(done, total));
    } finally {
      tf.dispose([x, y]);
    }
  }

  /** One step; the batch's images stay alive for the watcher (the caller disposes `x`). */
  private async stepOnce(): Promise<{ r: StepResult; x: tf.Tensor4D }> {
    const b = await this.data.trainBatch(this.trainer.stepIndex, this.trainer.recipe.batchSize);
    const { x, y } = batchTensors(b);
    try {
      return { r: await this.trainer.step(x, y), x };
    } catch (e) {
      x.dispose();
      throw e;
    } finally {
      y.dispose();
    }
  }

  /**
   * Tells the watcher the step's duration and lets it watch; a failing analysis stops watching,
   * never training. Returns the time it ended (the loop's remaining work counts as training time).
   */
  private async watchAfter(x: tf.Tensor4D, step: number, stepMs: number): Promise<number> {
    const w = this.watcher;
    if (w === null) return this.now();
    w.addStep(stepMs);
    try {
      const frame = await w.maybeWatch(x, step);
      if (frame !== null && this.watcher === w) this.sink.watch?.(frame);
    } catch (err) {
      if (this.watcher === w) this.watcher = null;
      this.sink.error(`watching stopped (training goes on): ${errorMessage(err)}`);
    }
    return this.now();
  }

  private report(r: StepResult, ms: number, total: number): void {
    this.times.add(ms);
    this.sink.progress({
      step: r.step,
      epoch: ((r.step + 1) * this.trainer.recipe.batchSize) / this.data.trainSize,
      loss: r.loss,
      acc: r.acc,
      lr: r.lr,
      paths: r.paths.length,
      // NaN while warming up (no steady step timed yet): shown as "–"
      imagesPerSec: this.times.imagesPerSec(this.trainer.recipe.batchSize),
      etaSec: this.times.etaSec(total - r.step - 1),
    });
  }

  /** The indicator table now (one asynchronous read-back). */
  indicators(): Promise<IndicatorTable> {
    return readIndicators(this.trainer.supernet);
  }

  private async sendIndicators(): Promise<void> {
    this.lastIndicatorsMs = this.now();
    const snap = snapshotOf(await this.indicators(), this.steps);
    this.sink.indicators(snap.step, snap.choices, snap.scores);
  }
}
