// `train`: BN-only (or last-bn / all) supernet training on the Node backend, one JSON line of
// progress per step on stdout, checkpoints written atomically every --save-every steps and at
// the end, so an interrupted run loses at most that many steps and resumes with --resume.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { PRESETS, resolveRecipe, type PresetName, type RecipeOverride } from '../../core/train/recipe.ts';
import { INIT_NAMES } from '../../core/init/index.ts';
import { engineInfo } from '../../core/platform/node.ts';
import { TRAIN_MODES } from '../../core/train/modes.ts';
import { SPACE_IDS } from '../../core/space/spaces.ts';
import { saveCheckpoint } from '../../core/train/checkpoint.ts';
import { SAMPLER_KINDS } from '../../core/train/sampler.ts';
import type { Trainer } from '../../core/train/trainer.ts';
import { Trainer as TrainerClass } from '../../core/train/trainer.ts';
import { defined, optEnum, optInt, optNumber, parse, requireString, UsageError } from '../args.ts';
import { loadCheckpointFile } from '../checkpointFile.ts';
import { DATA_OPTIONS, dataFlags, dataSummary, openCliData } from '../data.ts';
import { historyPath, readHistoryBeside, encodeHistory, type RunHistory } from '../history.ts';
import { spectrumLines, watchFlags, watcherFor, WATCH_OPTIONS } from '../watchFlags.ts';
import type { SpectrumWatcher } from '../../core/isometry/watcher.ts';
import { cutWatchSeries, WatchBuffer } from '../../core/isometry/watchSeries.ts';
import { batchTensors } from '../../core/train/batchTensors.ts';

export const trainHelp =
  'train --space S --data synthetic|PATH... --steps N --out FILE [--val-data PATH... --val-fraction F --shuffle-buffer N --augment on|off --preset tiny|small|paper --batch B --res R --width W --classes N --seed K ' +
  '--sampler fair|uniform --mode bn|last-bn|all --init orthogonal|he-normal|delta-orthogonal --lr X --identity on|off --accumulate sum|mean --dropout P --clip NORM --save-every N] | train --resume FILE --steps N [--out FILE] ' +
  '(both: [--watch LAYERS[:CANDIDATES][;...]|default --watch-share S --watch-tile T --watch-max-dim D])';

const OPTIONS = {
  ...DATA_OPTIONS, space: { type: 'string' }, steps: { type: 'string' }, batch: { type: 'string' }, res: { type: 'string' },
  width: { type: 'string' }, classes: { type: 'string' }, seed: { type: 'string' }, sampler: { type: 'string' }, mode: { type: 'string' },
  init: { type: 'string' }, lr: { type: 'string' }, identity: { type: 'string' }, preset: { type: 'string' }, out: { type: 'string' },
  resume: { type: 'string' }, 'save-every': { type: 'string' }, accumulate: { type: 'string' }, dropout: { type: 'string' }, clip: { type: 'string' },
  ...WATCH_OPTIONS,
} as const;

function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.partial`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

/** Fails before any training when `path` cannot be written (a missing or read-only directory, ...). */
export function checkWritable(path: string): void {
  const probe = `${path}.partial`;
  try {
    writeFileSync(probe, new Uint8Array(0));
    unlinkSync(probe);
  } catch (e) {
    throw new UsageError(`--out ${path}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** A run whose loss or parameters went NaN / infinite: an error, not a result (exit 1). */
export class DivergenceError extends Error {}

export function recipeFromArgs(v: Record<string, unknown>, steps: number) {
  const preset = optEnum(v, 'preset', Object.keys(PRESETS) as PresetName[]);
  const identity = optEnum(v, 'identity', ['on', 'off'] as const);
  const overrides: RecipeOverride = {
    ...defined({
      space: optEnum(v, 'space', SPACE_IDS),
      batchSize: optInt(v, 'batch', 2),
      seed: optInt(v, 'seed', 0),
      sampler: optEnum(v, 'sampler', SAMPLER_KINDS),
      mode: optEnum(v, 'mode', TRAIN_MODES),
      init: optEnum(v, 'init', INIT_NAMES),
      lr: optNumber(v, 'lr', (n) => n > 0, 'a number > 0'),
      gradAccumulation: optEnum(v, 'accumulate', ['sum', 'mean'] as const),
      dropout: optNumber(v, 'dropout', (n) => n >= 0 && n < 1, 'a number in [0, 1)'),
      gradClipNorm: optNumber(v, 'clip', (n) => n > 0, 'a number > 0'),
    }),
    totalSteps: steps,
    // --planted A / --planted-only: recorded in the recipe (data.planted / data.plantedOnly).
    data: defined({ planted: optNumber(v, 'planted', (n) => n >= 0, 'a number >= 0'), plantedOnly: v['planted-only'] === true ? true : undefined }),
    config: defined({
      resolution: optInt(v, 'res', 8),
      widthMult: optNumber(v, 'width', (n) => n > 0, 'a number > 0'),
      numClasses: optInt(v, 'classes', 2),
      identity: identity === undefined ? undefined : identity === 'on',
    }),
  };
  if (!preset && !overrides.space) throw new UsageError(`missing --space (one of ${SPACE_IDS.join(', ')}) or --preset`);
  try {
    return resolveRecipe(preset, overrides);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export async function trainCommand(argv: string[], emit: (line: object) => void): Promise<void> {
  const v = parse(argv, OPTIONS);
  const stepsArg = optInt(v, 'steps', 1);
  const saveEvery = optInt(v, 'save-every', 1) ?? 100;
  const watchArgs = watchFlags(v);
  let trainer: Trainer;
  let out: string;
  let steps: number;
  if (typeof v.resume === 'string') {
    trainer = await loadCheckpointFile(v.resume, 'resume');
    out = typeof v.out === 'string' ? v.out : v.resume;
    // A resumed run continues the checkpoint's own schedule (its cosine horizon).
    steps = stepsArg ?? trainer.recipe.totalSteps;
    const stop = steps <= trainer.stepIndex ? `the checkpoint is already at step ${trainer.stepIndex}` : steps > trainer.recipe.totalSteps ? `the checkpoint's schedule ends at step ${trainer.recipe.totalSteps}` : '';
    if (stop) {
      trainer.dispose();
      throw new UsageError(`--steps ${steps}: ${stop}`);
    }
  } else {
    steps = stepsArg ?? (() => { throw new UsageError('missing --steps'); })();
    out = requireString(v, 'out');
    trainer = new TrainerClass(recipeFromArgs(v, steps));
  }
  const r = trainer.recipe;
  try {
    checkWritable(out);
  } catch (e) {
    trainer.dispose();
    throw e;
  }
  let lastSaved = typeof v.resume === 'string' && out === v.resume ? trainer.stepIndex : null;
  let watcher: SpectrumWatcher | null;
  try {
    watcher = watchArgs === null ? null : watcherFor(trainer, watchArgs);
  } catch (e) {
    trainer.dispose();
    throw e;
  }
  const history = startHistory(typeof v.resume === 'string' ? v.resume : null, trainer.stepIndex);
  const flags = dataFlags(v);
  const synthetic = { noise: r.data.noise, trainSize: r.data.trainSize, valSize: r.data.valSize, planted: r.data.planted, plantedOnly: r.data.plantedOnly };
  const source = await openCliData({ ...flags, data: flags.data ?? ['synthetic'], seed: r.seed, numClasses: r.config.numClasses, resolution: r.config.resolution, synthetic }).catch((e) => {
    trainer.dispose();
    throw e;
  });
  let watchBuffer = history.watch === null ? null : new WatchBuffer(history.watch);
  process.stderr.write(`${JSON.stringify({ recipe: r, engine: engineInfo(), data: source.name, startStep: trainer.stepIndex, out, history: historyPath(out), ...(watcher ? { watch: watcher.keys.length, watchShare: watcher.cadence.share } : {}) })}\n`);
  try {
    let tEnd = performance.now();
    while (trainer.stepIndex < steps) {
      const t0 = performance.now();
      const b = await source.trainBatch(trainer.stepIndex, r.batchSize);
      const { x, y } = batchTensors(b); // the images stay alive for the watcher
      try {
        const res = await trainer.step(x, y).finally(() => y.dispose());
        if (!Number.isFinite(res.loss)) {
          const kept = lastSaved === null ? 'no checkpoint was written' : `the last good checkpoint (step ${lastSaved}) is kept in ${out}`;
          throw new DivergenceError(`diverged at step ${res.step}: loss is ${res.loss}; likely cause: the learning rate (${res.lr}) is too high, try a lower --lr or --clip; ${kept}`);
        }
        const ms = performance.now() - t0;
        emit({ step: res.step, loss: res.loss, acc: res.acc, lr: res.lr, paths: res.paths.length, ms: Math.round(ms) });
        history.loss.push(res.loss);
        history.acc.push(res.acc);
        history.lr.push(res.lr);
        if (watcher) {
          // the work since the last analysis (saves included) counts as training time
          watcher.addStep(performance.now() - tEnd);
          const frame = await watcher.maybeWatch(x, res.step);
          if (frame) {
            watchBuffer ??= WatchBuffer.empty(frame.analysis);
            watchBuffer.append(frame);
            for (const line of spectrumLines(frame)) emit(line);
          }
          tEnd = performance.now();
        }
      } finally {
        x.dispose();
      }
      if (trainer.stepIndex % saveEvery === 0 || trainer.stepIndex === steps) {
        let bytes: Uint8Array;
        try {
          bytes = await saveCheckpoint(trainer, true);
        } catch (e) {
          const kept = lastSaved === null ? 'no checkpoint was written' : `the last good checkpoint (step ${lastSaved}) is kept in ${out}`;
          throw new DivergenceError(`${(e as Error).message}; ${kept}`);
        }
        writeAtomically(out, bytes);
        lastSaved = trainer.stepIndex;
        writeAtomically(historyPath(out), encodeHistory({ ...history, watch: watchBuffer?.series() ?? null }));
      }
    }
    if (watcher) {
      const t = watcher.cadence.totals;
      process.stderr.write(`${JSON.stringify({ watchSummary: { watches: t.watches, watchMs: Math.round(t.watchMs), trainMs: Math.round(t.trainMs), share: watcher.cadence.measuredShare } })}\n`);
    }
  } finally {
    trainer.dispose();
    await source.dispose();
    const summary = dataSummary(source);
    if (summary) process.stderr.write(`${JSON.stringify({ dataStats: summary })}\n`);
  }
}

/**
 * The history a run continues: empty for a new run; for a resume, the sidecar beside the resumed
 * checkpoint cut to its step (NaN for steps it lacks, e.g. a checkpoint written before sidecars).
 */
function startHistory(resumed: string | null, step: number): RunHistory {
  let h: RunHistory | null = null;
  try {
    h = resumed === null ? null : readHistoryBeside(resumed);
  } catch (e) {
    // the checkpoint is fine: train on, with the history's steps unknown
    process.stderr.write(`${JSON.stringify({ historyProblem: (e as Error).message })}\n`);
  }
  const col = (a: number[] | undefined) => Array.from({ length: step }, (_, i) => a?.[i] ?? NaN);
  return { loss: col(h?.loss), acc: col(h?.acc), lr: col(h?.lr), watch: h?.watch ? cutWatchSeries(h.watch, step) : null };
}
