// The worker's retrain-and-verify (protocol/retrain.ts): a picked subnet of the session's space
// and config, built standalone with every weight trainable (src/core/retrain), trained from
// scratch on the session's data in the background, with a progress event per step, held-out
// evaluations, a cooperative stop and the trained network's checkpoint in the result.
import type { BatchSource } from '../core/data/source.ts';
import { resolveRetrainRecipe, runRetrain, saveSubnetCheckpoint, checkSourceFits, type RetrainRecipe } from '../core/retrain/index.ts';
import type { RetrainStartCommand, RetrainStopCommand, TrainStateName } from './protocol/index.ts';
import { JobSlot, nextTask as defaultNextTask, type Post } from './job.ts';

/** What a retrain needs of the training session (TrainSession satisfies it). */
export interface RetrainableSession {
  readonly state: TrainStateName;
  readonly trainer: { readonly recipe: Pick<RetrainRecipe, 'space' | 'config' | 'seed' | 'batchSize'> };
  readonly source: BatchSource;
}

export type { Post } from './job.ts';

/** Upper bound on the lab's retrain steps (keeps a tab alive; the CLI has none). */
export const MAX_RETRAIN_STEPS = 1_000_000;

/**
 * The session's data, yielding a task before every batch so control messages (retrainStop) are
 * handled between steps on every backend; disposing it leaves the session's source alone.
 */
function yieldingSource(src: BatchSource, nextTask: () => Promise<void>): BatchSource {
  return {
    name: src.name,
    numClasses: src.numClasses,
    resolution: src.resolution,
    trainSize: src.trainSize,
    trainBatch: async (step, batchSize) => {
      await nextTask();
      return src.trainBatch(step, batchSize);
    },
    valBatch: async (index, batchSize) => {
      await nextTask();
      return src.valBatch(index, batchSize);
    },
    dispose: async () => {},
  };
}

/** The recipe of a retrain command on `session`: its space, config, seed and batch size. */
export function retrainRecipeOf(cmd: RetrainStartCommand, session: RetrainableSession): RetrainRecipe {
  if (!Number.isInteger(cmd.steps) || cmd.steps < 1 || cmd.steps > MAX_RETRAIN_STEPS) throw new Error(`retrain: steps must be an integer in 1..${MAX_RETRAIN_STEPS}, got ${cmd.steps}`);
  if (!Number.isInteger(cmd.evalEvery) || cmd.evalEvery < 0) throw new Error(`retrain: evalEvery must be an integer >= 0, got ${cmd.evalEvery}`);
  if (cmd.evalBatches !== null && (!Number.isInteger(cmd.evalBatches) || cmd.evalBatches < 1)) throw new Error(`retrain: evalBatches must be null or an integer >= 1, got ${cmd.evalBatches}`);
  if (!Array.isArray(cmd.arch)) throw new Error('retrain: arch must be an array of choice indices');
  const r = session.trainer.recipe;
  try {
    return resolveRetrainRecipe({
      space: r.space,
      config: { ...r.config },
      arch: [...cmd.arch],
      seed: r.seed,
      batchSize: r.batchSize,
      totalSteps: cmd.steps,
      ...(cmd.lr === undefined ? {} : { lr: cmd.lr }),
    });
  } catch (e) {
    throw new Error(`retrain: ${(e as Error).message}`);
  }
}

export class RetrainService {
  private readonly jobs: JobSlot;

  constructor(
    private readonly post: Post,
    private readonly nextTask: () => Promise<void> = defaultNextTask,
  ) {
    this.jobs = new JobSlot(post, 'retrain failed');
  }

  get running(): boolean {
    return this.jobs.running;
  }

  /** Resolves when the running retrain (if any) has ended. */
  async settled(): Promise<void> {
    await this.jobs.settled();
  }

  /** Validates and starts the retrain in the background; input errors throw (answered with the command's id). */
  async start(cmd: RetrainStartCommand, session: RetrainableSession | null): Promise<void> {
    if (this.jobs.running) throw new Error('retrain: a retrain is already running (stop it first)');
    if (session === null) throw new Error('retrain: no supernet yet (build one first: the retrain takes its space, config and data)');
    if (session.state === 'running') throw new Error('retrain: the supernet is training (pause or stop it first)');
    const recipe = retrainRecipeOf(cmd, session);
    checkSourceFits(recipe, session.source);
    const id = cmd.id;
    this.jobs.start(id, async (job) => {
      let checkpoint: Uint8Array | null = null;
      const r = await runRetrain(recipe, yieldingSource(session.source, this.nextTask), {
        evalBatches: cmd.evalBatches,
        evalEvery: cmd.evalEvery,
        shouldStop: () => job.stopRequested,
        onStep: (s) => this.post({ type: 'retrainProgress', id, totalSteps: recipe.totalSteps, ...s }),
        onEval: (step, e) => this.post({ type: 'retrainEval', id, step, ...e }),
        onDone: async (trainer, e) => {
          checkpoint = await saveSubnetCheckpoint(trainer, e);
        },
      });
      const ckpt: Uint8Array = checkpoint ?? new Uint8Array(0);
      this.post(
        {
          type: 'retrainResult',
          id,
          stopped: r.stopped,
          arch: [...recipe.arch],
          space: recipe.space,
          steps: r.steps,
          totalSteps: recipe.totalSteps,
          top1: r.top1,
          top5: r.top5,
          loss: r.loss,
          images: r.images,
          params: r.params,
          macs: r.macs,
          trainLoss: r.trainLoss,
          trainAcc: r.trainAcc,
          data: r.data,
          checkpoint: ckpt,
        },
        [ckpt.buffer as ArrayBuffer],
      );
    });
  }

  /** Stops the running retrain before its next step; answers `retrainStopped` once it has ended. */
  async stop(cmd: RetrainStopCommand): Promise<void> {
    const wasRunning = await this.jobs.stop();
    this.post({ type: 'retrainStopped', id: cmd.id, wasRunning });
  }
}
