// The worker side of the runs commands (protocol/runs.ts `runsList`, `runResume`, `runDelete`,
// `runExport`, `runImport`, `debugLoseDevice`), the session sink that feeds the run keeper, the
// search results the search job stores with the live run (`saveSearch`), and the recovery from a WebGPU device loss (rebuild the live run from its last
// checkpoint on a fresh device). engine.worker.ts owns the session; it lends it through `EngineHost`.
import { isRunFile } from '../../core/io/supernetFile.ts';
import { torchRunToRunFile } from './torchImport.ts';
import { loadCheckpoint, readCheckpointMeta } from '../../core/train/checkpoint.ts';
import type { Trainer } from '../../core/train/trainer.ts';
import type { BackendName, EngineEvent, PresetName, RunCompareCommand, RunsCommand, RunSummary, StoredSearch, TrainSettings, TrainStateName } from '../protocol/index.ts';
import { comparedTransfers, compareStoredRuns } from './runCompare.ts';
import { cutWatchSeries, watchSeriesTransfers } from '../../core/isometry/watchSeries.ts';
import type { SessionSink, TrainSession } from '../session.ts';
import { activeGpuDevice, loseDevice, reinitWebgpu, watchDeviceLoss } from './deviceLoss.ts';
import { RunKeeper } from './runKeeper.ts';
import { truncateMetrics, type RunRecord } from './runRecord.ts';
import type { DataFingerprint } from './dataFingerprint.ts';
import { memoryRunStore, type RunStore } from './runStore.ts';
import { openIdbRunStore } from './runStoreIdb.ts';
import { storedSearchOf } from './storedSearch.ts';
import { errorMessage } from '../../core/errors.ts';

export interface EngineHost {
  backend(): BackendName | null;
  session(): TrainSession | null;
  /** Makes `next` current at once, then disposes the previous session (if any). */
  replaceSession(next: TrainSession | null): Promise<void>;
  /** A session for a trainer rebuilt from stored run `run`, on the data it trained on (throws if that data is not at hand). */
  newSession(trainer: Trainer, run: RunRecord): TrainSession | Promise<TrainSession>;
  /** Throws, saying what to load, when run `run`'s data is not at hand (checked before the current session goes). */
  checkResume?(run: RunRecord): void;
  post(event: EngineEvent, transfer?: Transferable[]): void;
  /** Runs `work` in the worker's command queue (after the commands before it). */
  enqueue(work: () => Promise<void>): void;
}

/** Longest wait for a session on a lost device to wind down before it is abandoned. */
const LOST_SESSION_WAIT_MS = 10_000;
/** How long an error of a step waits to see whether the WebGPU device is being lost (then it is the loss's). */
const LOSS_GRACE_MS = 1_000;

const busy = (s: TrainSession | null) => s !== null && (s.state === 'running' || s.state === 'paused');

export class RunsHandler {
  private keeper: RunKeeper | null = null;
  /**
   * What the live session was last asked to be (start / resume: running), unchanged when its loop
   * fails: a device loss makes the loop fail before `lost` resolves, and the resume after the
   * loss restarts the run only if it was meant to run.
   */
  private intent: TrainStateName = 'idle';
  private readonly opening: Promise<RunKeeper>;

  constructor(
    private readonly host: EngineHost,
    openStore: () => Promise<RunStore> = openIdbRunStore,
  ) {
    const keeperOn = (store: RunStore) =>
      new RunKeeper(store, {
        onUpdate: (run) => host.post({ type: 'runUpdated', run }),
        onError: (message) => host.post({ type: 'error', id: null, message }),
      });
    this.opening = openStore()
      .catch((err: unknown) => {
        host.post({ type: 'error', id: null, message: `runs are kept in memory only (this tab): ${errorMessage(err)}` });
        return memoryRunStore();
      })
      .then((store) => (this.keeper = keeperOn(store)));
  }

  private ready(): Promise<RunKeeper> {
    return this.opening;
  }

  /** Wraps the session sink so the keeper records every step and every state change. */
  wrapSink(base: SessionSink): SessionSink {
    const trainerNow = () => this.host.session()?.trainer ?? null;
    return {
      progress: (p) => {
        const t = trainerNow();
        if (t !== null) this.keeper?.onProgress(t, p.step, p.loss, p.acc, p.lr);
        base.progress(p);
      },
      indicators: (step, choices, scores) => base.indicators(step, choices, scores),
      warmup: (done, total) => base.warmup?.(done, total),
      state: (state, step) => {
        const t = trainerNow();
        // done: checkpointed; stopped here means an error, when the trainer may be mid-update
        if (t !== null) void this.keeper?.onState(t, state, state === 'done');
        if (state === 'done') this.intent = 'done';
        base.state(state, step);
      },
      error: (message) => {
        // A step that fails on a device being lost fails because of the loss: the deviceLost report
        // and the resume from the checkpoint cover it, so it is not reported a second time.
        const device = activeGpuDevice();
        if (device === null) return base.error(message);
        const lost = Promise.race([device.lost.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), LOSS_GRACE_MS))]);
        void lost.then((wasLoss) => wasLoss || base.error(message));
      },
      afterStep: (trainer) => {
        this.keeper?.afterStep(trainer);
        base.afterStep?.(trainer);
      },
      watch: (frame) => {
        const t = trainerNow();
        if (t !== null) this.keeper?.onWatch(t, frame); // copies the frame before base may transfer it
        base.watch?.(frame);
      },
    };
  }

  /** A fresh session was built: it becomes a new stored run. */
  async built(s: TrainSession, preset: PresetName, settings: TrainSettings, dataFingerprint?: DataFingerprint): Promise<void> {
    this.intent = 'idle';
    await (await this.ready()).attach(s.trainer, { preset, settings, data: s.source.name, ...(dataFingerprint === undefined ? {} : { dataFingerprint }) });
  }

  /** A control command took effect on the live session (pause / stop checkpoint here). */
  async controlled(s: TrainSession, state: TrainStateName): Promise<void> {
    this.intent = state;
    await (await this.ready()).onState(s.trainer, state);
  }

  /**
   * Stores a finished search with the live run when `trainer` (the searched session's) is its
   * trainer; that run's summary (also posted as `runUpdated`), or null when it is not live any more.
   */
  async saveSearch(trainer: object, search: StoredSearch): Promise<RunSummary | null> {
    return (await this.ready()).saveSearch(trainer, search);
  }

  /** Watches the active backend's device (call after every backend selection). */
  watchDevice(): void {
    watchDeviceLoss((message) => this.deviceLost(message));
  }

  async handle(cmd: RunsCommand): Promise<void> {
    const keeper = await this.ready();
    const host = this.host;
    switch (cmd.type) {
      case 'runsList':
        if (cmd.policy !== undefined) keeper.setPolicy(cmd.policy);
        host.post({ type: 'runs', id: cmd.id, runs: await keeper.list(), policy: keeper.policy });
        return;
      case 'runDelete':
        await keeper.remove(cmd.runId, busy(host.session()));
        host.post({ type: 'runs', id: cmd.id, runs: await keeper.list(), policy: keeper.policy });
        return;
      case 'runExport': {
        const { fileName, bytes } = await keeper.exportRun(cmd.runId);
        host.post({ type: 'runExported', id: cmd.id, fileName, bytes }, [bytes.buffer as ArrayBuffer]);
        return;
      }
      case 'runImport': {
        const raw = new Uint8Array(await cmd.file.arrayBuffer());
        // A PyTorch run file (docs/scale-out.md) becomes a lab run file first; a taken id is re-drawn by the keeper.
        const bytes = isRunFile(raw) ? await torchRunToRunFile(raw, cmd.fileName, Date.now(), 0) : raw;
        await keeper.importRun(cmd.fileName, bytes, (ck, name) => readCheckpointMeta(ck, name).step);
        host.post({ type: 'runs', id: cmd.id, runs: await keeper.list(), policy: keeper.policy });
        return;
      }
      case 'runResume':
        await this.resume(cmd.runId, cmd.start, cmd.id);
        return;
      case 'debugLoseDevice':
        if (activeGpuDevice() === null) throw new Error('debugLoseDevice: the active backend is not webgpu');
        this.lostCommandId = cmd.id;
        loseDevice(); // `lost` resolves soon after; deviceLost then answers with this id
        return;
      default: {
        const unreachable: never = cmd;
        throw new Error(`unknown runs command ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private lostCommandId: number | null = null;

  /** Rebuilds run `runId` from its last checkpoint in a fresh session, optionally running it. */
  private async resume(runId: string, start: boolean, id: number | null): Promise<void> {
    const keeper = await this.ready();
    const host = this.host;
    const backend = host.backend();
    if (backend === null) throw new Error('runResume before init');
    if (busy(host.session())) throw new Error(`cannot resume: a session is ${host.session()?.state} (stop it first)`);
    const { record, checkpoint } = await keeper.resumePoint(runId);
    host.checkResume?.(record);
    await keeper.detach();
    await host.replaceSession(null);
    const trainer = loadCheckpoint(checkpoint, `run "${record.name}"`);
    let s: TrainSession;
    try {
      s = await host.newSession(trainer, record);
    } catch (err) {
      trainer.dispose();
      throw err;
    }
    await host.replaceSession(s);
    const run = await keeper.attachResumed(trainer, record);
    const step = s.steps;
    const history = truncateMetrics(record.metrics, step);
    let state: TrainStateName = s.state;
    if (start) state = await s.control('trainStart');
    this.intent = state;
    const stored = storedSearchOf(record.search);
    const search = stored !== null && 'problem' in stored ? { search: null, searchProblem: stored.problem } : { search: stored };
    host.post(
      { type: 'runResumed', id, backend, run, choices: s.choices, totalSteps: trainer.recipe.totalSteps, step, state, history, ...search },
      [history.loss.buffer, history.acc.buffer, history.lr.buffer] as ArrayBuffer[],
    );
    const series = record.watch === undefined ? null : cutWatchSeries(record.watch, step);
    host.post({ type: 'watchHistory', id, runId: run.id, series }, series === null ? [] : watchSeriesTransfers(series));
  }

  /** `runCompare`: two stored runs and their comparison (protocol/watch.ts). */
  async compare(cmd: RunCompareCommand): Promise<void> {
    const ev = await compareStoredRuns(await this.ready(), cmd);
    this.host.post(ev, comparedTransfers(ev));
  }

  /** The device went: report it, then (in the command queue) re-initialise and resume the live run. */
  private deviceLost(message: string): void {
    const keeper = this.keeper;
    const s = this.host.session();
    const wasRunning = s !== null && this.intent === 'running';
    const runId = keeper?.drop() ?? null; // nothing more is read from the dead device
    const id = this.lostCommandId;
    this.lostCommandId = null;
    this.host.post({ type: 'deviceLost', id, message, runId });
    this.host.enqueue(async () => {
      try {
        if (s !== null) {
          const wound = this.host.replaceSession(null).catch(() => undefined);
          await Promise.race([wound, new Promise((r) => setTimeout(r, LOST_SESSION_WAIT_MS))]);
        }
        await reinitWebgpu();
        this.watchDevice();
        if (runId !== null) await this.resume(runId, wasRunning, null);
      } catch (err) {
        this.host.post({ type: 'error', id: null, message: `recovery after the device loss failed: ${errorMessage(err)}` });
      }
    });
  }
}
