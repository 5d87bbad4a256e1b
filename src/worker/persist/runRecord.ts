// A stored run: what the worker keeps in IndexedDB for each training run, and the pure rules over
// it (new record, metrics appended per step and cut back to a checkpoint, when a checkpoint is
// due, the summary the Runs panel lists). No tensors, no IndexedDB: unit-tested in Node.
import type {
  CheckpointPolicy,
  MetricsHistory,
  PresetName,
  RunStatus,
  RunSummary,
  StoredSearch,
  TrainSettings,
} from '../protocol/index.ts';
import type { DataFingerprint } from './dataFingerprint.ts';
import type { WatchSeries } from '../../core/isometry/watchSeries.ts';

/** Schema version of a stored record (the IndexedDB value and the run file's header). */
export const RUN_RECORD_VERSION = 1;

/** The summary's fields (less what a summary derives) plus the schema version, metrics and search. */
export interface RunRecord extends Omit<RunSummary, 'lastLoss' | 'hasSearch' | 'live'> {
  version: typeof RUN_RECORD_VERSION;
  /** One entry per step up to the checkpoint (written together with it). */
  metrics: MetricsHistory;
  /**
   * The run's last search result, stored by the worker's search job (RunKeeper.saveSearch); null
   * when none. A record read back from storage (IndexedDB, a run file) may hold anything here (an
   * older build, another tool): resume checks it with storedSearchOf before it is used.
   */
  search: StoredSearch | null;
  /**
   * The loaded files the run trained on (dataFingerprint.ts); absent for synthetic data and in
   * records stored before it existed (which still load: such a run resumes on synthetic data only).
   */
  dataFingerprint?: DataFingerprint;
  /**
   * The watched spectra (live isometry, src/core/isometry/watchSeries.ts) of the steps before the
   * checkpoint, written with it; absent when nothing was watched and in records stored before it existed.
   */
  watch?: WatchSeries;
}

/** The ISONASCK blob of a run's last checkpoint, kept apart from the record so a list stays cheap. */
export interface StoredCheckpoint {
  runId: string;
  step: number;
  bytes: Uint8Array;
}

export function emptyMetrics(): MetricsHistory {
  return { loss: new Float32Array(0), acc: new Float32Array(0), lr: new Float32Array(0) };
}

export function metricsLength(m: MetricsHistory): number {
  return m.loss.length;
}

/** A fresh record for a run about to start. `id` must be unique among stored runs. */
export function newRunRecord(args: {
  id: string;
  now: number;
  preset: PresetName;
  settings: TrainSettings;
  data: string;
  totalSteps: number;
  name?: string;
  dataFingerprint?: DataFingerprint;
}): RunRecord {
  const s = args.settings;
  const record: RunRecord = {
    version: RUN_RECORD_VERSION,
    id: args.id,
    // named by its data and space, so runs on different data are told apart in the Runs table
    name: args.name ?? `${s.space} on ${args.data}, ${s.resolution}px, ${s.numClasses} classes, ${s.sampler} seed ${s.seed}`,
    created: args.now,
    updated: args.now,
    preset: args.preset,
    settings: { ...s },
    data: args.data,
    status: 'idle',
    step: 0,
    totalSteps: args.totalSteps,
    checkpointStep: null,
    checkpointBytes: 0,
    metrics: emptyMetrics(),
    search: null,
  };
  if (args.dataFingerprint !== undefined) record.dataFingerprint = structuredClone(args.dataFingerprint);
  return record;
}

/** A run id: creation time plus 32 random bits (ids are not secrets; collisions are re-drawn). */
export function makeRunId(now: number, random32: number): string {
  return `run-${now.toString(36)}-${(random32 >>> 0).toString(36).padStart(7, '0')}`;
}

/**
 * The live run's metrics: amortised O(1) appends into growing typed arrays. Step i goes to entry
 * i; a step at or below the current length cuts the history back first (a resumed run re-takes
 * the steps after its checkpoint).
 */
export class MetricsBuffer {
  private loss: Float32Array;
  private acc: Float32Array;
  private lr: Float32Array;
  private n: number;

  constructor(initial: MetricsHistory = emptyMetrics()) {
    this.n = metricsLength(initial);
    const cap = Math.max(64, this.n * 2);
    this.loss = grow(initial.loss, cap);
    this.acc = grow(initial.acc, cap);
    this.lr = grow(initial.lr, cap);
  }

  get length(): number {
    return this.n;
  }

  /** Record step `step` (0-based). Throws if it would leave a gap. */
  put(step: number, loss: number, acc: number, lr: number): void {
    if (!Number.isInteger(step) || step < 0 || step > this.n) {
      throw new Error(`metrics: step ${step} does not follow the ${this.n} recorded steps`);
    }
    this.n = step;
    if (this.n === this.loss.length) {
      const cap = this.loss.length * 2;
      this.loss = grow(this.loss, cap);
      this.acc = grow(this.acc, cap);
      this.lr = grow(this.lr, cap);
    }
    this.loss[this.n] = loss;
    this.acc[this.n] = acc;
    this.lr[this.n] = lr;
    this.n++;
  }

  /** Fresh exact-length copies of entries 0..count-1 (count <= length). */
  history(count = this.n): MetricsHistory {
    const k = Math.min(count, this.n);
    return { loss: this.loss.slice(0, k), acc: this.acc.slice(0, k), lr: this.lr.slice(0, k) };
  }
}

function grow(a: Float32Array, cap: number): Float32Array {
  const out = new Float32Array(cap);
  out.set(a.subarray(0, Math.min(a.length, cap)));
  return out;
}

/** The first `count` entries of a history (copies). */
export function truncateMetrics(m: MetricsHistory, count: number): MetricsHistory {
  return { loss: m.loss.slice(0, count), acc: m.acc.slice(0, count), lr: m.lr.slice(0, count) };
}

/** Whether the live run should be checkpointed after a step, under `policy`. */
export function checkpointDue(
  policy: CheckpointPolicy,
  stepsTaken: number,
  lastCheckpoint: { step: number; ms: number },
  nowMs: number,
): boolean {
  if (stepsTaken <= lastCheckpoint.step) return false;
  return stepsTaken - lastCheckpoint.step >= policy.everySteps || nowMs - lastCheckpoint.ms >= policy.everyMs;
}

/** Checks a policy from the page (positive integers of steps, non-negative milliseconds). */
export function validatePolicy(p: CheckpointPolicy): CheckpointPolicy {
  if (!Number.isInteger(p.everySteps) || p.everySteps < 1) throw new Error(`checkpoint policy: everySteps must be an integer >= 1, got ${p.everySteps}`);
  if (!(typeof p.everyMs === 'number' && p.everyMs >= 0)) throw new Error(`checkpoint policy: everyMs must be a number >= 0, got ${p.everyMs}`);
  return { everySteps: p.everySteps, everyMs: p.everyMs };
}

/**
 * The status a stored run is listed with: a run stored as running or paused that is not this
 * worker's live run was cut off (reload, crash, closed tab) and is listed as interrupted.
 */
export function listedStatus(status: RunStatus, live: boolean): RunStatus {
  if (!live && (status === 'running' || status === 'paused')) return 'interrupted';
  return status;
}

export function summarize(r: RunRecord, live: boolean): RunSummary {
  const n = metricsLength(r.metrics);
  return {
    id: r.id,
    name: r.name,
    created: r.created,
    updated: r.updated,
    preset: r.preset,
    settings: { ...r.settings },
    data: r.data,
    status: listedStatus(r.status, live),
    step: r.step,
    totalSteps: r.totalSteps,
    checkpointStep: r.checkpointStep,
    checkpointBytes: r.checkpointBytes,
    lastLoss: n > 0 ? r.metrics.loss[n - 1] : null,
    hasSearch: r.search !== null && r.search !== undefined,
    live,
  };
}

/** Newest first. */
export function byNewest(a: { created: number; id: string }, b: { created: number; id: string }): number {
  return b.created - a.created || (a.id < b.id ? 1 : -1);
}
