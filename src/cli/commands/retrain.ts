// `retrain`: retrain-and-verify a picked subnet. Builds it as a standalone network (every weight
// trainable), trains it from scratch on --data (SGD momentum, cosine, label smoothing; recipe in
// docs/search.md), prints one JSON line per step, then the held-out top-1 / top-5 as the last
// line, and writes a checkpoint with --out. --arch takes "3,-1,0,..." or an `export` JSON file
// (whose space and config are then the defaults).
import { renameSync, writeFileSync } from 'node:fs';
import { readLimitedFile } from '../checkpointFile.ts';
import { INIT_NAMES } from '../../core/init/index.ts';
import { resolveRetrainRecipe, runRetrain, saveSubnetCheckpoint, type RetrainRecipe } from '../../core/retrain/index.ts';
import { importSubnet } from '../../core/search/export.ts';
import { parseArch, SPACE_IDS, type Arch, type SpaceConfig, type SpaceId } from '../../core/space/index.ts';
import { defined, optEnum, optInt, optNumber, parse, UsageError } from '../args.ts';
import { DATA_OPTIONS, dataFlags, dataSummary, openCliData } from '../data.ts';

export const retrainHelp =
  'retrain --space S --arch 3,-1,0,...|FILE.json --data synthetic|PATH... (--epochs N | --steps N) [--res R --width W --classes N --batch B ' +
  '--lr X --seed K --init he-normal|orthogonal|delta-orthogonal --dropout P --zero-init on|off --eval-batches N --out FILE --json]';

const OPTIONS = {
  ...DATA_OPTIONS,
  space: { type: 'string' }, arch: { type: 'string' }, epochs: { type: 'string' }, steps: { type: 'string' }, res: { type: 'string' },
  width: { type: 'string' }, classes: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, seed: { type: 'string' },
  init: { type: 'string' }, dropout: { type: 'string' }, 'zero-init': { type: 'string' }, 'eval-batches': { type: 'string' }, out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** CLI defaults when neither the options nor an export file say otherwise (the `tiny` preset's size). */
const DEFAULT_CONFIG: SpaceConfig = { resolution: 32, widthMult: 0.25, numClasses: 10, identity: true };

function archArg(text: string): { arch: Arch; space?: SpaceId; config?: SpaceConfig } {
  if (/\.json$/i.test(text)) {
    let json: string;
    try {
      json = new TextDecoder().decode(readLimitedFile(text, 'arch', 'maxJsonBytes'));
    } catch (e) {
      throw e instanceof UsageError ? e : new UsageError(`--arch: cannot read ${text}: ${(e as Error).message}`);
    }
    try {
      const x = importSubnet(json, text);
      return { arch: x.choices, space: x.space, config: x.config };
    } catch (e) {
      throw new UsageError(`--arch: ${(e as Error).message}`);
    }
  }
  try {
    return { arch: parseArch(text) };
  } catch (e) {
    throw new UsageError(`--arch: ${(e as Error).message}`);
  }
}

function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.partial`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

export async function retrainCommand(argv: string[], emit: (line: object) => void): Promise<object> {
  const v = parse(argv, OPTIONS);
  if (typeof v.arch !== 'string' || v.arch === '') throw new UsageError('missing --arch');
  const picked = archArg(v.arch);
  const space = optEnum(v, 'space', SPACE_IDS) ?? picked.space;
  if (!space) throw new UsageError(`missing --space (one of ${SPACE_IDS.join(', ')})`);
  const base = picked.config ?? DEFAULT_CONFIG;
  const config: SpaceConfig = {
    ...base,
    ...defined({ resolution: optInt(v, 'res', 8), widthMult: optNumber(v, 'width', (n) => n > 0, 'a number > 0'), numClasses: optInt(v, 'classes', 2) }),
    identity: true, // identity layers are dropped from the standalone network; the flag only admits -1 in --arch
  };
  const epochs = optNumber(v, 'epochs', (n) => n > 0, 'a number > 0');
  const stepsArg = optInt(v, 'steps', 1);
  if ((epochs === undefined) === (stepsArg === undefined)) throw new UsageError('give exactly one of --epochs N and --steps N');
  const flags = dataFlags(v);
  const seed = optInt(v, 'seed', 0) ?? 0;
  const zero = optEnum(v, 'zero-init', ['on', 'off'] as const);
  const overrides = defined({
    batchSize: optInt(v, 'batch', 2),
    lr: optNumber(v, 'lr', (n) => n > 0, 'a number > 0'),
    init: optEnum(v, 'init', INIT_NAMES),
    dropout: optNumber(v, 'dropout', (n) => n >= 0 && n < 1, 'a number in [0, 1)'),
    zeroInitResidual: zero === undefined ? undefined : zero === 'on',
  });
  const evalBatches = optInt(v, 'eval-batches', 1) ?? null;
  const out = typeof v.out === 'string' ? v.out : undefined;
  let recipe: RetrainRecipe;
  try {
    recipe = resolveRetrainRecipe({ space, config, arch: picked.arch, seed, ...overrides, totalSteps: stepsArg ?? 1 });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const source = await openCliData({ ...flags, data: flags.data ?? ['synthetic'], resolution: config.resolution, numClasses: config.numClasses, seed });
  try {
    const totalSteps = stepsArg ?? Math.max(1, Math.ceil((epochs! * source.trainSize) / recipe.batchSize));
    recipe = { ...recipe, totalSteps };
    process.stderr.write(`${JSON.stringify({ recipe, data: source.name, out: out ?? null })}\n`);
    let t0 = performance.now();
    const result = await runRetrain(recipe, source, {
      evalBatches,
      onStep: (s) => {
        const now = performance.now();
        emit({ step: s.step, loss: s.loss, acc: s.acc, lr: s.lr, ms: Math.round(now - t0) });
        t0 = now;
      },
      onDone: async (trainer, evaluation) => {
        if (out) writeAtomically(out, await saveSubnetCheckpoint(trainer, evaluation));
      },
    });
    const { recipe: r, ...rest } = result;
    return { ...rest, arch: r.arch.join(','), space: r.space, config: r.config, recipe: r, out: out ?? null, dataStats: dataSummary(source) };
  } finally {
    await source.dispose();
  }
}
