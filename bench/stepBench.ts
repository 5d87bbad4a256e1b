// The measuring core of `npm run bench`: times the supernet training step on whatever tfjs
// backend is active. No Node APIs (no fs, os, process), so the browser runner can reuse it as is;
// the Node CLI (bench/main.ts) and a future browser page only add the backend set-up, the
// machine description and the output.
//
// What one run measures, for one recipe, in rounds (round 0.. warmupRounds-1 are warm-up):
//   bnOnly     mode `bn`,  ONE path per step (uniform sampler): the work of one step of a
//              PyTorch BN-only loop (forward, backward to the BN affine parameters, SGD update).
//   allWeights mode `all`, the same path per step: the SPOS baseline that trains every weight.
//   fair       mode `bn`,  one FairNAS step of m paths (m = candidates per layer).
// The three are interleaved round by round (one step of each per round), so a load that comes
// and goes on the machine hits all three alike. The paths are sampled once from a
// seeded Rng and replayed: bnOnly and allWeights run exactly the same path in each round. Every
// step runs on the same fixed batch (made before any timing), and a step's time includes its one
// asynchronous read-back (loss, top-1), so the step's work is finished when its clock stops.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainRecipe } from '../src/core/train/recipe.ts';
import { syntheticBatch } from '../src/core/data/synthetic.ts';
import { createRng, deriveRng } from '../src/core/rng.ts';
import type { Arch, ResolvedLayer } from '../src/core/space/types.ts';
import { pathsPerStep, samplePaths, type SamplerKind } from '../src/core/train/sampler.ts';
import { Trainer } from '../src/core/train/trainer.ts';
import { batchTensors } from '../src/core/train/batchTensors.ts';

/** Milliseconds from an arbitrary origin (performance.now in Node and browsers). */
export type Clock = () => number;

export interface StepBenchOptions {
  /** Timed rounds after warm-up (each round = one step of every variant). */
  steps: number;
  /** Untimed warm-up rounds before the timed ones (>= 1; the first one gives firstStepMs). */
  warmupRounds: number;
  /** Seed of the benchmark's path list (independent of the recipe's own sampler). */
  pathSeed: number;
  /** Abort (throw) as soon as one step takes longer than this; null = never. */
  maxStepMs: number | null;
  /** Skip the fair variant (m paths per step; m times the cost of a round's other steps). */
  skipFair: boolean;
  /**
   * Memory run length N: after the timed rounds, BN-only steps (only) continue until N rounds have
   * run in all, and tf.memory() is read after round 10 and after round N (flat = no leak). A value
   * at or below the timed rounds adds nothing (N = the rounds run).
   */
  memorySteps: number;
  /**
   * Before round 0, run `Trainer.warmUp` on each trainer (every candidate once, state unchanged),
   * so a GPU backend compiles every program up front; the first timed rounds then add none.
   */
  warmUpCandidates: boolean;
  /** Called after every step (progress display); `round` is 0-based, warm-up rounds included. */
  onStep?: (e: { round: number; variant: VariantName | 'memory'; ms: number }) => void;
  /** Runs after the last round, before anything is disposed, with the BN-only trainer and the batch. */
  afterRounds?: (bnOnly: Trainer, batch: tf.Tensor4D) => Promise<void>;
}

export const DEFAULT_STEP_BENCH: Omit<StepBenchOptions, 'steps'> = {
  warmupRounds: 1,
  pathSeed: 0,
  maxStepMs: null,
  skipFair: false,
  memorySteps: 500,
  warmUpCandidates: true,
};

export type VariantName = 'bnOnly' | 'allWeights' | 'fair';

/** tf.memory() at one point of the run: the whole process, every trainer and the batch alive. */
export interface MemoryPoint {
  /** Rounds completed when it was read (warm-up included). */
  afterRounds: number;
  numTensors: number;
  numBytes: number;
  /**
   * Compiled GPU programs cached by the backend (WebGL binaries, WebGPU pipelines); null on
   * backends without a program cache. Growth after the first steps = shader recompilation.
   */
  programs: number | null;
}

export interface VariantTimes {
  mode: TrainRecipe['mode'];
  sampler: SamplerKind;
  pathsPerStep: number;
  /** Time to build its supernet and optimizer (weight initialisation included). */
  buildMs: number;
  /** The first step of this variant (kernel set-up, first allocations). */
  firstStepMs: number;
  /** The timed steps, in order. */
  stepMs: number[];
  medianStepMs: number;
}

export interface StepBenchResult {
  backend: string;
  steps: number;
  warmupRounds: number;
  batchSize: number;
  variants: Partial<Record<VariantName, VariantTimes>>;
  /** Time of `Trainer.warmUp` on the BN-only and the all-weights trainer (null: no warm-up). */
  warmUpMs: { bnOnly: number; allWeights: number } | null;
  /** After the warm-up (null: none; afterRounds 0), round 1, round 10 (null if shorter) and the last round. */
  memory: { afterWarmUp: MemoryPoint | null; afterFirst: MemoryPoint; after10: MemoryPoint | null; afterN: MemoryPoint };
}

/** Median of a non-empty list (mean of the two middle values for an even length). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Whether memory stayed flat from `a` (after round 10) to `b` (after round N): the same tensor
 * count and byte count, and (where the backend has a program cache) no new compiled programs.
 * null when there is no after-10 point to compare (runs shorter than 10 rounds).
 */
export function memoryFlat(a: MemoryPoint | null, b: MemoryPoint): boolean | null {
  if (a === null || b.afterRounds <= a.afterRounds) return null;
  const programsFlat = a.programs === null || b.programs === null || a.programs === b.programs;
  return a.numTensors === b.numTensors && a.numBytes === b.numBytes && programsFlat;
}

/**
 * `rounds` lists of paths, one list per step, for `kind` (1 path for uniform, m for fair), from a
 * dedicated seeded Rng, so bnOnly and allWeights replay the same list and reruns the same paths.
 */
export function benchPaths(layers: ResolvedLayer[], kind: SamplerKind, rounds: number, seed: number): Arch[][] {
  const rng = createRng(deriveRng(seed, 'bench-paths', kind).nextUint32());
  return Array.from({ length: rounds }, () => samplePaths(layers, kind, rng));
}

/** The recipe's synthetic training batch 0 as tensors (the caller disposes). */
export function benchBatch(recipe: TrainRecipe): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const r = recipe;
  const cfg = { seed: r.seed, numClasses: r.config.numClasses, resolution: r.config.resolution, noise: r.data.noise, trainSize: r.data.trainSize, valSize: r.data.valSize };
  const b = syntheticBatch(cfg, 'train', 0, r.batchSize);
  return batchTensors(b);
}

/** Wall time of one training step on the given paths, read-back included. */
export async function timeStep(trainer: Trainer, x: tf.Tensor4D, y: tf.Tensor1D, paths: Arch[], clock: Clock): Promise<number> {
  const t0 = clock();
  await trainer.step(x, y, paths);
  return clock() - t0;
}

/** Entries of the active backend's compiled-program cache (tfjs internals; null if it has none). */
export function programCacheSize(backend: unknown): number | null {
  const b = backend as { binaryCache?: object; pipelineCache?: object } | null;
  const cache = b?.binaryCache ?? b?.pipelineCache;
  return cache && typeof cache === 'object' ? Object.keys(cache).length : null;
}

function memoryPoint(afterRounds: number): MemoryPoint {
  const m = tf.memory();
  return { afterRounds, numTensors: m.numTensors, numBytes: m.numBytes, programs: programCacheSize(tf.backend()) };
}

interface Variant {
  name: VariantName;
  trainer: Trainer;
  sampler: SamplerKind;
  paths: Arch[][];
  times: VariantTimes;
}

/**
 * Run the step benchmark for `recipe` on the active backend. The recipe's mode and sampler are
 * overridden per variant (bnOnly and fair share one BN-only trainer: the sampler only picks paths,
 * and the benchmark passes its own). Disposes everything it creates, also on error.
 */
export async function runStepBench(recipe: TrainRecipe, options: StepBenchOptions, clock: Clock = () => performance.now()): Promise<StepBenchResult> {
  const o = options;
  if (!Number.isInteger(o.steps) || o.steps < 1) throw new Error(`steps must be a positive integer, got ${o.steps}`);
  if (!Number.isInteger(o.warmupRounds) || o.warmupRounds < 1) throw new Error(`warmupRounds must be an integer >= 1, got ${o.warmupRounds}`);
  if (!Number.isInteger(o.memorySteps) || o.memorySteps < 0) throw new Error(`memorySteps must be an integer >= 0, got ${o.memorySteps}`);
  const rounds = o.warmupRounds + o.steps;
  const totalRounds = Math.max(rounds, o.memorySteps);
  const trainers: Trainer[] = [];
  const { x, y } = benchBatch(recipe);
  try {
    const build = (mode: TrainRecipe['mode']): { trainer: Trainer; buildMs: number } => {
      const t0 = clock();
      const trainer = new Trainer({ ...recipe, mode, sampler: 'uniform' });
      trainers.push(trainer);
      return { trainer, buildMs: clock() - t0 };
    };
    const bn = build('bn');
    const all = build('all');
    const layers = bn.trainer.supernet.resolved.layers;
    const uniformPaths = benchPaths(layers, 'uniform', totalRounds, o.pathSeed);
    const make = (name: VariantName, b: { trainer: Trainer; buildMs: number }, sampler: SamplerKind, paths: Arch[][], buildMs = b.buildMs): Variant => ({
      name,
      trainer: b.trainer,
      sampler,
      paths,
      times: { mode: b.trainer.recipe.mode, sampler, pathsPerStep: pathsPerStep(layers, sampler), buildMs, firstStepMs: NaN, stepMs: [], medianStepMs: NaN },
    });
    const variants: Variant[] = [make('bnOnly', bn, 'uniform', uniformPaths), make('allWeights', all, 'uniform', uniformPaths)];
    if (!o.skipFair) variants.push(make('fair', bn, 'fair', benchPaths(layers, 'fair', rounds, o.pathSeed)));

    let warmUpMs: StepBenchResult['warmUpMs'] = null;
    let afterWarmUp: MemoryPoint | null = null;
    if (o.warmUpCandidates) {
      const time = async (t: Trainer): Promise<number> => {
        const t0 = clock();
        await t.warmUp(x, y);
        return clock() - t0;
      };
      warmUpMs = { bnOnly: await time(bn.trainer), allWeights: await time(all.trainer) };
      afterWarmUp = memoryPoint(0);
    }
    let afterFirst: MemoryPoint | null = null;
    let after10: MemoryPoint | null = null;
    for (let round = 0; round < rounds; round++) {
      // bnOnly and allWeights swap places every round (bnOnly first in round 0, so the run's
      // very first step is a BN-only one), so neither always runs right after the other.
      const order = round % 2 === 0 ? variants : [variants[1], variants[0], ...variants.slice(2)];
      for (const v of order) {
        const ms = await timeStep(v.trainer, x, y, v.paths[round], clock);
        if (round === 0) v.times.firstStepMs = ms;
        if (round >= o.warmupRounds) v.times.stepMs.push(ms);
        o.onStep?.({ round, variant: v.name, ms });
        if (o.maxStepMs !== null && ms > o.maxStepMs) {
          throw new Error(`a ${v.name} step took ${(ms / 1000).toFixed(1)} s (> ${(o.maxStepMs / 1000).toFixed(1)} s limit) in round ${round}; stopped`);
        }
      }
      if (round === 0) afterFirst = memoryPoint(1);
      if (round === 9) after10 = memoryPoint(10);
    }
    // The memory run: BN-only steps only (the cheapest), same batch, fresh paths.
    const bnOnly = variants[0];
    for (let round = rounds; round < totalRounds; round++) {
      await bnOnly.trainer.step(x, y, bnOnly.paths[round]);
      o.onStep?.({ round, variant: 'memory', ms: NaN });
      if (round === 9) after10 = memoryPoint(10);
    }
    const afterN = memoryPoint(totalRounds);
    if (o.afterRounds) await o.afterRounds(bn.trainer, x);
    for (const v of variants) v.times.medianStepMs = median(v.times.stepMs);
    return {
      backend: tf.getBackend(),
      steps: o.steps,
      warmupRounds: o.warmupRounds,
      batchSize: recipe.batchSize,
      variants: Object.fromEntries(variants.map((v) => [v.name, v.times])),
      warmUpMs,
      memory: { afterWarmUp, afterFirst: afterFirst as MemoryPoint, after10, afterN },
    };
  } finally {
    for (const t of trainers) t.dispose();
    tf.dispose([x, y]);
  }
}

/** The headline figures of a run, flat (the shape of `--json` and of a docs/benchmarks.md row). */
export interface StepBenchFigures {
  bnOnlyMedianStepMs: number;
  allWeightsMedianStepMs: number;
  /** bnOnly / allWeights: below 1 = BN-only is faster. */
  ratioBnOnlyToAll: number;
  /** null when the fair variant was skipped. */
  fairStepMedianMs: number | null;
  pathsPerFairStep: number | null;
  /** m * bnOnlyMedianStepMs: what m separate uniform steps cost. */
  mTimesUniformMs: number | null;
  /** fair / (m * uniform): below 1 = one fair step beats m uniform steps. */
  ratioFairToMUniform: number | null;
  /** The first step of the run (bnOnly, round 0): backend and kernel set-up not done by the warm-up. */
  firstStepMs: number;
  /** Trainer.warmUp of both trainers (every candidate once; null: no warm-up). */
  warmUpMs: number | null;
  /** Compiled GPU programs right after the warm-up (null: no warm-up, or no program cache). */
  programsAfterWarmUp: number | null;
  /** batchSize / bnOnlyMedianStepMs. */
  imagesPerSecond: number;
  tensorsAfter10: number | null;
  bytesAfter10: number | null;
  tensorsAfterN: number;
  bytesAfterN: number;
  /** Rounds run in all (warm-up included): the N of tensorsAfterN. */
  roundsTotal: number;
  /** Compiled GPU programs after round 10 / round N (null: backend without a program cache). */
  programsAfter10: number | null;
  programsAfterN: number | null;
  /** Tensors, bytes and programs unchanged from round 10 to round N (null: fewer than 11 rounds). */
  memoryFlat: boolean | null;
}

export function headlineFigures(r: StepBenchResult): StepBenchFigures {
  const bn = r.variants.bnOnly;
  const all = r.variants.allWeights;
  if (!bn || !all) throw new Error('bnOnly and allWeights are always measured');
  const fair = r.variants.fair;
  const mTimesUniform = fair ? fair.pathsPerStep * bn.medianStepMs : null;
  return {
    bnOnlyMedianStepMs: bn.medianStepMs,
    allWeightsMedianStepMs: all.medianStepMs,
    ratioBnOnlyToAll: bn.medianStepMs / all.medianStepMs,
    fairStepMedianMs: fair ? fair.medianStepMs : null,
    pathsPerFairStep: fair ? fair.pathsPerStep : null,
    mTimesUniformMs: mTimesUniform,
    ratioFairToMUniform: fair && mTimesUniform ? fair.medianStepMs / mTimesUniform : null,
    firstStepMs: bn.firstStepMs,
    warmUpMs: r.warmUpMs ? r.warmUpMs.bnOnly + r.warmUpMs.allWeights : null,
    programsAfterWarmUp: r.memory.afterWarmUp?.programs ?? null,
    imagesPerSecond: (r.batchSize * 1000) / bn.medianStepMs,
    tensorsAfter10: r.memory.after10?.numTensors ?? null,
    bytesAfter10: r.memory.after10?.numBytes ?? null,
    tensorsAfterN: r.memory.afterN.numTensors,
    bytesAfterN: r.memory.afterN.numBytes,
    roundsTotal: r.memory.afterN.afterRounds,
    programsAfter10: r.memory.after10?.programs ?? null,
    programsAfterN: r.memory.afterN.programs,
    memoryFlat: memoryFlat(r.memory.after10, r.memory.afterN),
  };
}
