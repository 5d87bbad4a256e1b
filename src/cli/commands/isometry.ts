// `isometry`: the isometry lens from the command line. Per (layer, candidate) the moments,
// extremes and fixed-bin histogram of the squared singular values of the module's tile Jacobian
// at its real input, plus the depth profile of the sample path (src/core/isometry/). The supernet
// is built from flags (at initialisation) or loaded from a checkpoint (its recipe wins); the
// input batch is the recipe's built-in synthetic data (train split, batch 0, and batches
// 0..N-1 for BN calibration).
import * as tf from '@tensorflow/tfjs-core';
import { PRESETS, resolveRecipe, type PresetName, type RecipeOverride, type TrainRecipe } from '../../core/train/recipe.ts';
import { syntheticBatch } from '../../core/data/synthetic.ts';
import { INIT_NAMES, type InitName } from '../../core/init/index.ts';
import { analyseIsometry, summariseModules, type IsometryOptions } from '../../core/isometry/analyse.ts';
import { Supernet } from '../../core/model/supernet.ts';
import { parseArch } from '../../core/space/decode.ts';
import { SPACE_IDS } from '../../core/space/spaces.ts';
import { defined, optEnum, optInt, optNumber, parse, UsageError } from '../args.ts';
import { loadCheckpointFile } from '../checkpointFile.ts';
import { batchImages } from '../../core/train/batchTensors.ts';

export const isometryHelp =
  'isometry (--space S [--preset tiny|small|paper --init I --seed K --res R --width W --classes N --identity on|off] | --ckpt FILE) ' +
  '[--layers 0,3,7 --choices -1,0,2 --tile T --max-dim D --batch B --batch-index K --calib-batches N --path ARCH --path-seed K --calibration sequential|stored ' +
  '--compare orthogonal,he-normal,delta-orthogonal --no-depth --json]';

const OPTIONS = {
  space: { type: 'string' }, preset: { type: 'string' }, init: { type: 'string' }, seed: { type: 'string' }, res: { type: 'string' },
  width: { type: 'string' }, classes: { type: 'string' }, identity: { type: 'string' }, ckpt: { type: 'string' }, layers: { type: 'string' },
  choices: { type: 'string' }, tile: { type: 'string' }, 'max-dim': { type: 'string' }, batch: { type: 'string' }, 'batch-index': { type: 'string' }, 'calib-batches': { type: 'string' },
  path: { type: 'string' }, 'path-seed': { type: 'string' }, calibration: { type: 'string' }, compare: { type: 'string' }, 'no-depth': { type: 'boolean' }, json: { type: 'boolean' },
} as const;

/** Flags that define the supernet; with --ckpt the checkpoint's recipe defines it instead. */
const RECIPE_FLAGS = ['space', 'preset', 'init', 'seed', 'res', 'width', 'classes', 'identity'] as const;

function intList(v: Record<string, unknown>, key: string): number[] | undefined {
  const s = v[key];
  if (s === undefined) return undefined;
  const parts = String(s).split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => !/^-?\d+$/.test(p))) throw new UsageError(`--${key} must be a comma-separated list of integers, got "${String(s)}"`);
  return parts.map(Number);
}

function recipeFromFlags(v: Record<string, unknown>): TrainRecipe {
  const preset = optEnum(v, 'preset', Object.keys(PRESETS) as PresetName[]);
  const identity = optEnum(v, 'identity', ['on', 'off'] as const);
  const overrides: RecipeOverride = {
    ...defined({ space: optEnum(v, 'space', SPACE_IDS), init: optEnum(v, 'init', INIT_NAMES), seed: optInt(v, 'seed', 0), batchSize: optInt(v, 'batch', 2) }),
    config: defined({
      resolution: optInt(v, 'res', 8),
      widthMult: optNumber(v, 'width', (n) => n > 0, 'a number > 0'),
      numClasses: optInt(v, 'classes', 2),
      identity: identity === undefined ? undefined : identity === 'on',
    }),
  };
  if (!preset && !overrides.space) throw new UsageError(`missing --space (one of ${SPACE_IDS.join(', ')}), --preset or --ckpt`);
  try {
    return resolveRecipe(preset, overrides);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function usage<T>(f: () => T, flag: string): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}

/** Wrong --layers / --path are usage errors (exit 2), found before any work. */
function checkSelection(net: Supernet, o: IsometryOptions): void {
  for (const l of o.layers ?? []) if (l < 0 || l >= net.numLayers) throw new UsageError(`--layers: ${l} is not in 0..${net.numLayers - 1}`);
  if (o.samplePath) usage(() => net.pathModules(o.samplePath!), '--path');
}

/** Synthetic train batches first .. first + n - 1 (batch `first` is the analysis batch; `train` trains step k on batch k). */
function inputs(r: TrainRecipe, batchSize: number, calibBatches: number, first: number): tf.Tensor4D[] {
  const cfg = { seed: r.seed, numClasses: r.config.numClasses, resolution: r.config.resolution, noise: r.data.noise, trainSize: r.data.trainSize, valSize: r.data.valSize, planted: r.data.planted, plantedOnly: r.data.plantedOnly };
  return Array.from({ length: calibBatches }, (_, t) => {
    const b = syntheticBatch(cfg, 'train', first + t, batchSize);
    return batchImages(b);
  });
}

export async function isometryCommand(argv: string[]): Promise<object> {
  const v = parse(argv, OPTIONS);
  const compare = v.compare === undefined ? undefined : String(v.compare).split(',').map((s) => s.trim());
  if (compare) for (const c of compare) if (!INIT_NAMES.includes(c as InitName)) throw new UsageError(`--compare: "${c}" is not one of ${INIT_NAMES.join(', ')}`);
  const calibration = optEnum(v, 'calibration', ['sequential', 'stored'] as const);
  const calibBatches = optInt(v, 'calib-batches', 1) ?? 1;
  const opts: IsometryOptions = defined({
    layers: intList(v, 'layers'),
    choices: intList(v, 'choices'),
    tile: optInt(v, 'tile', 1),
    maxDim: optInt(v, 'max-dim', 1),
    samplePath: typeof v.path === 'string' ? usage(() => parseArch(v.path as string), '--path') : undefined,
    pathSeed: optInt(v, 'path-seed', 0),
    calibration,
    depth: v['no-depth'] ? false : undefined,
  });

  let nets: Array<{ init: InitName; net: Supernet | null; step: number | null }>;
  let recipe: TrainRecipe;
  let ignored: string[] = [];
  if (typeof v.ckpt === 'string') {
    if (compare) throw new UsageError('--compare builds supernets at initialisation; it cannot be combined with --ckpt');
    const trainer = await loadCheckpointFile(v.ckpt, 'ckpt');
    // The supernet (BN parameters and running statistics) lives on; the optimiser state goes.
    trainer.optimizer.dispose();
    recipe = trainer.recipe;
    nets = [{ init: recipe.init, net: trainer.supernet, step: trainer.stepIndex }];
    ignored = RECIPE_FLAGS.filter((k) => v[k] !== undefined).map((k) => `--${k}`);
  } else {
    recipe = recipeFromFlags(v);
    nets = (compare ?? [recipe.init]).map((init) => ({ init: init as InitName, net: null, step: null }));
  }
  const batchSize = optInt(v, 'batch', 2) ?? recipe.batchSize;
  const batchIndex = optInt(v, 'batch-index', 0) ?? 0;
  const batches = inputs(recipe, batchSize, calibBatches, batchIndex);
  const runs: object[] = [];
  try {
    for (const entry of nets) {
      const net = entry.net ?? new Supernet({ ...recipe, init: entry.init });
      try {
        checkSelection(net, opts);
        const t0 = performance.now();
        const res = await analyseIsometry(net, batches[0], { ...opts, calibBatches: batches });
        runs.push({ init: entry.init, step: entry.step, ms: Math.round(performance.now() - t0), summary: summariseModules(res.modules), ...res });
      } finally {
        net.dispose();
      }
    }
  } finally {
    tf.dispose(batches);
  }
  const head = {
    space: recipe.space,
    config: recipe.config,
    seed: recipe.seed,
    gains: recipe.gains,
    source: typeof v.ckpt === 'string' ? 'checkpoint' : 'init',
    batch: batchSize,
    batchIndex,
    calibBatches,
    tile: opts.tile ?? 4,
    maxDim: opts.maxDim ?? 1024,
    ...(ignored.length ? { ignored } : {}),
  };
  return compare ? { ...head, compare: runs } : { ...head, ...runs[0] };
}
