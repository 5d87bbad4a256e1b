// The run keeper: follows the live training session and keeps its run in a RunStore (record,
// metrics history, last checkpoint), and serves the stored runs (list, delete, export, import,
// the checkpoint to resume from). Knows nothing of the protocol's commands (runsHandler.ts) nor of
// IndexedDB (runStore*.ts).
//
// Checkpoints never hold a step back longer than a snapshot takes: between two steps the
// trainer's state is copied into one packed tensor (enqueued on the device, no read-back), and
// the read-back, encoding and store write run while the next steps train. One save at a time; a
// due checkpoint that finds one in flight waits for the next step.
import type { Trainer } from '../../core/train/trainer.ts';
import { encodeSnapshot, snapshotCheckpoint } from '../../core/train/checkpoint.ts';
import {
  DEFAULT_CHECKPOINT_POLICY,
  type CheckpointPolicy,
  type PresetName,
  type RunSummary,
  type StoredSearch,
  type TrainSettings,
  type TrainStateName,
} from '../protocol/index.ts';
import { decodeRunFile, encodeRunFile, RUN_FILE_EXTENSION } from './runFile.ts';
import {
  byNewest,
  checkpointDue,
  makeRunId,
  MetricsBuffer,
  metricsLength,
  newRunRecord,
  summarize,
  truncateMetrics,
  validatePolicy,
  type RunRecord,
} from './runRecord.ts';
import type { RunStore } from './runStore.ts';
import type { DataFingerprint } from './dataFingerprint.ts';
import { cutWatchSeries, WatchBuffer, type WatchFrame } from '../../core/isometry/watchSeries.ts';
import { errorMessage } from '../../core/errors.ts';

/** Captures a trainer's checkpoint synchronously; the returned function reads and encodes it. */
export type Snapshotter = (trainer: Trainer) => () => Promise<Uint8Array>;

export const defaultSnapshotter: Snapshotter = (trainer) => {
  const snap = snapshotCheckpoint(trainer);
  return () => encodeSnapshot(snap);
};

export interface KeeperOptions {
  now?: () => number;
  random32?: () => number;
  snapshot?: Snapshotter;
  /** A stored run changed (checkpoint written, status changed). */
  onUpdate?: (run: RunSummary) => void;
  /** A background write failed (training goes on). */
  onError?: (message: string) => void;
  policy?: CheckpointPolicy;
}

interface Live {
  trainer: Trainer;
  record: RunRecord;
  metrics: MetricsBuffer;
  last: { step: number; ms: number };
  saving: Promise<void> | null;
  /** The watched spectra so far (null until the first frame of a run that has none stored). */
  watch: WatchBuffer | null;
}

function randomUint32(): number {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return a[0];
}

function fileSlug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'run';
}

export class RunKeeper {
  private live: Live | null = null;
  private policyNow: CheckpointPolicy;
  private readonly now: () => number;
  private readonly random32: () => number;
  private readonly snapshot: Snapshotter;

  constructor(
    readonly store: RunStore,
    private readonly opts: KeeperOptions = {},
  ) {
    this.now = opts.now ?? (() => Date.now());
    this.random32 = opts.random32 ?? randomUint32;
    this.snapshot = opts.snapshot ?? defaultSnapshotter;
    this.policyNow = validatePolicy(opts.policy ?? DEFAULT_CHECKPOINT_POLICY);
  }

  get policy(): CheckpointPolicy {
    return { ...this.policyNow };
  }

  setPolicy(p: CheckpointPolicy): void {
    this.policyNow = validatePolicy(p);
  }

  /** The live run's id (the current session's), or null. */
  get liveId(): string | null {
    return this.live?.record.id ?? null;
  }

  /** Starts a new run for a freshly built trainer and stores its record. */
  async attach(trainer: Trainer, args: { preset: PresetName; settings: TrainSettings; data: string; name?: string; dataFingerprint?: DataFingerprint }): Promise<RunSummary> {
    await this.detach();
    const existing = new Set((await this.store.list()).map((r) => r.id));
    const now = this.now();
    let id = makeRunId(now, this.random32());
    while (existing.has(id)) id = makeRunId(now, this.random32());
    const record = newRunRecord({ id, now, totalSteps: trainer.recipe.totalSteps, ...args });
    await this.store.put(record);
    this.live = { trainer, record, metrics: new MetricsBuffer(), last: { step: 0, ms: now }, saving: null, watch: null };
    return this.emit(record);
  }

  /** Makes a stored run live again on a trainer rebuilt from its checkpoint. */
  async attachResumed(trainer: Trainer, stored: RunRecord): Promise<RunSummary> {
    await this.detach();
    const step = trainer.stepIndex;
    const metrics = truncateMetrics(stored.metrics, Math.min(step, metricsLength(stored.metrics)));
    if (metricsLength(metrics) !== step) {
      throw new Error(`run ${stored.id}: the metrics hold ${metricsLength(stored.metrics)} steps, the checkpoint is at step ${step}`);
    }
    const watch = stored.watch === undefined ? undefined : cutWatchSeries(stored.watch, step);
    const record: RunRecord = { ...stored, metrics, step, status: 'idle', updated: this.now(), ...(watch === undefined ? {} : { watch }) };
    await this.store.put(record);
    this.live = { trainer, record, metrics: new MetricsBuffer(metrics), last: { step, ms: this.now() }, saving: null, watch: watch === undefined ? null : new WatchBuffer(watch) };
    return this.emit(record);
  }

  /** Lets go of the live run (waiting for a save in flight); nothing of it is written after this. */
  async detach(): Promise<void> {
    const l = this.live;
    this.live = null;
    await l?.saving;
  }

  /** Forgets the live run at once, without waiting (its device is gone: nothing can be read). */
  drop(): string | null {
    const id = this.liveId;
    this.live = null;
    return id;
  }

  /** Records a step's metrics for the live run of `trainer`. */
  onProgress(trainer: Trainer, step: number, loss: number, acc: number, lr: number): void {
    const l = this.live;
    if (l === null || l.trainer !== trainer) return;
    l.metrics.put(step, loss, acc, lr);
    l.record.step = step + 1;
  }

  /** Records watched spectra of the live run of `trainer` (copied: the frame's buffer may be transferred after). */
  onWatch(trainer: Trainer, frame: WatchFrame): void {
    const l = this.live;
    if (l === null || l.trainer !== trainer) return;
    l.watch ??= WatchBuffer.empty(frame.analysis);
    l.watch.append(frame);
  }

  /** Called between steps: starts a background checkpoint when the policy says one is due. */
  afterStep(trainer: Trainer): void {
    const l = this.live;
    if (l === null || l.trainer !== trainer || l.saving !== null) return;
    if (!checkpointDue(this.policyNow, trainer.stepIndex, l.last, this.now())) return;
    l.record.status = 'running';
    this.startSave(l);
  }

  /**
   * The live session reached `state`: the status is stored, with a checkpoint when `checkpoint`
   * and steps were taken since the last one.
   */
  async onState(trainer: Trainer, state: TrainStateName, checkpoint = true): Promise<void> {
    const l = this.live;
    if (l === null || l.trainer !== trainer) return;
    await l.saving;
    if (this.live !== l) return;
    l.record.status = state;
    l.record.step = trainer.stepIndex;
    if (checkpoint && trainer.stepIndex > l.last.step) {
      this.startSave(l);
      await l.saving;
    } else {
      l.record.updated = this.now();
      await this.write(() => this.store.put(l.record));
      this.emit(l.record);
    }
  }

  /** Waits for the live run's save in flight, if any. */
  async flush(): Promise<void> {
    await this.live?.saving;
  }

  private startSave(l: Live): void {
    const step = l.trainer.stepIndex;
    const encode = this.snapshot(l.trainer); // synchronous: the next step may start right after
    const metrics = l.metrics.history(step);
    const watch = l.watch === null ? {} : { watch: l.watch.series(step) };
    const status = l.record.status;
    const save = async () => {
      const bytes = await encode();
      const record: RunRecord = { ...l.record, status, step: Math.max(l.record.step, step), checkpointStep: step, checkpointBytes: bytes.length, metrics, ...watch, updated: this.now() };
      await this.store.putWithCheckpoint(record, { runId: record.id, step, bytes });
      l.last = { step, ms: this.now() };
      Object.assign(l.record, { checkpointStep: step, checkpointBytes: bytes.length, metrics, ...watch });
      if (this.live === l) this.emit(record);
    };
    l.saving = this.write(save).finally(() => {
      l.saving = null;
    });
  }

  /** Runs a store write; a failure is reported, never thrown into the training loop. */
  private async write(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.opts.onError?.(`saving the run failed: ${errorMessage(err)}`);
    }
  }

  private emit(r: RunRecord): RunSummary {
    const s = summarize(r, this.liveId === r.id);
    this.opts.onUpdate?.(s);
    return s;
  }

  // ---- stored runs -----------------------------------------------------------------------

  async list(): Promise<RunSummary[]> {
    const live = this.live;
    const records = await this.store.list();
    return records.sort(byNewest).map((r) => {
      if (live !== null && r.id === live.record.id) return summarize({ ...r, status: live.record.status, step: live.record.step }, true);
      return summarize(r, false);
    });
  }

  /** The stored record, or an error naming the id. */
  async require(id: string): Promise<RunRecord> {
    const r = await this.store.get(id);
    if (r === null) throw new Error(`no stored run ${id}`);
    return r;
  }

  /** Deletes a run; `liveBusy`: the live session runs or is paused (then its run is kept). */
  async remove(id: string, liveBusy: boolean): Promise<void> {
    await this.require(id);
    if (this.liveId === id) {
      if (liveBusy) throw new Error(`cannot delete run ${id}: it is training (stop it first)`);
      await this.detach();
    }
    await this.store.delete(id);
  }

  /** The record and checkpoint a resume starts from. */
  async resumePoint(id: string): Promise<{ record: RunRecord; checkpoint: Uint8Array }> {
    if (this.liveId === id) await this.flush();
    const record = await this.require(id);
    const ck = await this.store.checkpoint(id);
    if (ck === null || record.checkpointStep === null) throw new Error(`run "${record.name}" has no checkpoint yet (nothing to resume)`);
    return { record, checkpoint: ck.bytes };
  }

  async exportRun(id: string): Promise<{ fileName: string; bytes: Uint8Array }> {
    if (this.liveId === id) await this.flush();
    const record = await this.require(id);
    const ck = await this.store.checkpoint(id);
    // the record and the checkpoint are written together, so their steps agree
    const bytes = encodeRunFile({ record, checkpoint: ck?.bytes ?? null });
    return { fileName: `${fileSlug(record.name)}-${record.id}${RUN_FILE_EXTENSION}`, bytes };
  }

  /**
   * Stores a run file. `checkCheckpoint` validates the checkpoint blob (its own codec) and returns
   * its step. A run whose id is taken gets a new id; a run stored as running or paused is stored
   * as interrupted (it was cut off when exported).
   */
  async importRun(fileName: string, bytes: Uint8Array, checkCheckpoint: (bytes: Uint8Array, fileName: string) => number): Promise<RunSummary> {
    const { record, checkpoint } = decodeRunFile(bytes, fileName);
    if (checkpoint !== null) {
      const step = checkCheckpoint(checkpoint, fileName);
      if (step !== record.checkpointStep) throw new Error(`${fileName}: the checkpoint is at step ${step}, the record says ${record.checkpointStep}`);
    }
    const taken = new Set((await this.store.list()).map((r) => r.id));
    let id = record.id;
    while (taken.has(id)) id = makeRunId(this.now(), this.random32());
    const status = record.status === 'running' || record.status === 'paused' ? 'interrupted' : record.status;
    const stored: RunRecord = { ...record, id, status, updated: this.now() };
    if (checkpoint === null) await this.store.put(stored);
    else await this.store.putWithCheckpoint(stored, { runId: id, step: record.checkpointStep as number, bytes: checkpoint });
    return summarize(stored, false);
  }

  /**
   * Stores a search result with the live run when `trainer` is the live run's trainer (the
   * supernet the search read); the run's summary, or null when `trainer` has no live run (another
   * run was built or resumed since). The stored copy is the keeper's own.
   */
  async saveSearch(trainer: object, search: StoredSearch): Promise<RunSummary | null> {
    const l = this.live;
    if (l === null || l.trainer !== trainer) return null;
    const copy = structuredClone(search);
    l.record.search = copy; // a checkpoint save from now on writes it too
    await l.saving;
    const r = await this.require(l.record.id);
    const next = { ...r, search: copy, updated: this.now() };
    await this.store.put(next);
    return this.emit(next);
  }
}
