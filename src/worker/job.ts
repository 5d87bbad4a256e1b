// One cancellable background job at a time, with progress: the worker's search, retrain, isometry
// analysis and data load all run through a JobSlot. The job's work checks `job.stopRequested`
// between its units (a candidate - core's runSearch asks through `shouldStop` -, a step, a
// module, a file) and yields with `nextTask` (the search: after each generation) so the worker
// handles the stop command meanwhile. A stop waits for the job to end (`stop()`), or only
// asks (`requestStop()`) where the job itself answers.
import type { EngineEvent } from './protocol/index.ts';
import { errorMessage } from '../core/errors.ts';

/** How the worker's parts post an event to the UI (buffers in `transfer` are moved, not copied). */
export type Post = (ev: EngineEvent, transfer?: Transferable[]) => void;

/** Yield to the worker's event loop (a macrotask), so queued commands are handled. */
export const nextTask = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));

export interface Job {
  /** The id of the command that started it (its answer, stream and error carry it). */
  readonly id: number;
  /** Set by a stop; the work ends after its unit in flight. */
  stopRequested: boolean;
  /** Where it stands, in words ("3 of 8 files"). */
  progress: string;
}

export class JobSlot {
  private current: { job: Job; done: Promise<void> } | null = null;

  /** `post` sends the error of a failed job: `${failure}: message`, with the job's id. */
  constructor(
    private readonly post: Post,
    private readonly failure: string,
  ) {}

  get running(): boolean {
    return this.current !== null;
  }

  /** The running job, or null. */
  get job(): Job | null {
    return this.current?.job ?? null;
  }

  /** Resolves when the running job (if any) has ended. */
  async settled(): Promise<void> {
    await this.current?.done;
  }

  /**
   * Runs `work` in the background as job `id` (the caller refuses or stops a running job first);
   * its failure is posted as an `error` with that id.
   */
  start(id: number, work: (job: Job) => Promise<void>, progress = ''): Job {
    const job: Job = { id, stopRequested: false, progress };
    const entry = { job, done: Promise.resolve() };
    entry.done = work(job)
      .catch((err: unknown) => this.post({ type: 'error', id, message: `${this.failure}: ${errorMessage(err)}` }))
      .finally(() => {
        if (this.current === entry) this.current = null;
      });
    this.current = entry;
    return job;
  }

  /** Asks the running job to stop without waiting; false when none is running. */
  requestStop(): boolean {
    if (this.current === null) return false;
    this.current.job.stopRequested = true;
    return true;
  }

  /** Asks the running job to stop and waits until it has ended; whether one was running. */
  async stop(): Promise<boolean> {
    const cur = this.current;
    if (cur === null) return false;
    cur.job.stopRequested = true;
    await cur.done;
    return true;
  }
}
