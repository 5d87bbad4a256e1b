// `rankcorr`: the ranking-correlation experiment (docs/search.md): K subnets stratified by MACs
// (or, with --top/--bottom/--random, each supernet's indicator extremes plus random others:
// the ranking study of docs/learnability.md),
// BN-only supernets per initialiser, indicator fitness per rule, a same-budget retraining of every
// subnet, Kendall tau-b and Spearman rho. One JSON line per progress event on stdout, then the
// result as the last line.
import { INIT_NAMES, type InitName } from '../../core/init/index.ts';
import { SAMPLER_KINDS } from '../../core/train/sampler.ts';
import { runRankCorrelation, SCORE_RULES, type ScoreRule } from '../../core/search/index.ts';
import { formatArch, SPACE_IDS } from '../../core/space/index.ts';
import { defined, optEnum, optInt, optNumber, parse, requireString, UsageError } from '../args.ts';
import { DATA_OPTIONS, dataFlags, openCliData } from '../data.ts';

export const rankcorrHelp =
  'rankcorr --space S --data synthetic|PATH... (--k K | --top N --bottom N --random N) --supernet-steps N --retrain-steps N [--planted A --inits orthogonal,he-normal --rules dirf,bnnas --seed K ' +
  '--res R --width W --classes N --batch B --lr X --sampler fair|uniform --retrain-batch B --retrain-lr X --retrain-warmup N --retrain-clip NORM --retrain-dropout P --eval-batches N --json]';

const OPTIONS = {
  ...DATA_OPTIONS,
  space: { type: 'string' }, k: { type: 'string' }, top: { type: 'string' }, bottom: { type: 'string' }, random: { type: 'string' }, 'supernet-steps': { type: 'string' }, 'retrain-steps': { type: 'string' }, inits: { type: 'string' },
  rules: { type: 'string' }, seed: { type: 'string' }, res: { type: 'string' }, width: { type: 'string' }, classes: { type: 'string' },
  batch: { type: 'string' }, lr: { type: 'string' }, sampler: { type: 'string' }, 'retrain-batch': { type: 'string' }, 'retrain-lr': { type: 'string' },
  'eval-batches': { type: 'string' }, 'retrain-warmup': { type: 'string' }, 'retrain-clip': { type: 'string' }, 'retrain-dropout': { type: 'string' }, json: { type: 'boolean' },
} as const;

function listArg<T extends string>(v: Record<string, unknown>, key: string, allowed: readonly T[], fallback: T[]): T[] {
  const s = v[key];
  if (s === undefined) return fallback;
  const items = String(s).split(',').map((x) => x.trim());
  for (const x of items) if (!allowed.includes(x as T)) throw new UsageError(`--${key}: "${x}" is not one of ${allowed.join(', ')}`);
  if (new Set(items).size !== items.length) throw new UsageError(`--${key}: repeated entry`);
  return items as T[];
}

const need = (n: number | undefined, key: string): number => {
  if (n === undefined) throw new UsageError(`missing --${key}`);
  return n;
};

export async function rankcorrCommand(argv: string[], emit: (line: object) => void): Promise<object> {
  const v = parse(argv, OPTIONS);
  const space = optEnum(v, 'space', SPACE_IDS) ?? (requireString(v, 'space') as never);
  const top = optInt(v, 'top', 0);
  const bottom = optInt(v, 'bottom', 0);
  const random = optInt(v, 'random', 0);
  const select = top === undefined && bottom === undefined && random === undefined ? null : { top: top ?? 0, bottom: bottom ?? 0, random: random ?? 0 };
  if (select && v.k !== undefined) throw new UsageError('--k (stratified sample) and --top/--bottom/--random (indicator extremes) exclude each other');
  const k = select ? 0 : need(optInt(v, 'k', 2), 'k');
  const supernetSteps = need(optInt(v, 'supernet-steps', 1), 'supernet-steps');
  const retrainSteps = need(optInt(v, 'retrain-steps', 1), 'retrain-steps');
  const inits = listArg<InitName>(v, 'inits', INIT_NAMES, ['orthogonal', 'he-normal']);
  const rules = listArg<ScoreRule>(v, 'rules', SCORE_RULES, ['dirf', 'bnnas']);
  const seed = optInt(v, 'seed', 0) ?? 0;
  const config = {
    resolution: optInt(v, 'res', 8) ?? 32,
    widthMult: optNumber(v, 'width', (n) => n > 0, 'a number > 0') ?? 0.25,
    numClasses: optInt(v, 'classes', 2) ?? 10,
    identity: true,
  };
  const batch = optInt(v, 'batch', 2);
  const flags = dataFlags(v);
  const source = await openCliData({ ...flags, data: flags.data ?? ['synthetic'], resolution: config.resolution, numClasses: config.numClasses, seed });
  try {
    const result = await runRankCorrelation(
      {
        space,
        config,
        k,
        select,
        seed,
        inits,
        rules,
        supernetSteps,
        supernet: defined({ batchSize: batch, lr: optNumber(v, 'lr', (n) => n > 0, 'a number > 0'), sampler: optEnum(v, 'sampler', SAMPLER_KINDS) }),
        retrainSteps,
        retrain: defined({
          batchSize: optInt(v, 'retrain-batch', 2) ?? batch,
          lr: optNumber(v, 'retrain-lr', (n) => n > 0, 'a number > 0'),
          warmupSteps: optInt(v, 'retrain-warmup', 0),
          gradClipNorm: optNumber(v, 'retrain-clip', (n) => n > 0, 'a number > 0'),
          dropout: optNumber(v, 'retrain-dropout', (n) => n >= 0 && n < 1, 'a number in [0, 1)'),
        }),
        evalBatches: optInt(v, 'eval-batches', 1) ?? null,
      },
      source,
      {
        onProgress: (p) => {
          if (p.phase === 'scores') emit({ phase: p.phase, init: p.init, ...(p.selected ? { selected: p.selected.map((x) => ({ ...x, arch: formatArch(x.arch) })) } : {}) });
          else if (p.phase === 'subnet') emit({ ...p, arch: formatArch(p.arch) });
          else emit(p);
        },
      },
    );
    return { ...result, planted: flags.planted ?? 0, subnets: result.subnets.map((s) => ({ ...s, arch: formatArch(s.arch) })) };
  } catch (e) {
    if (e instanceof Error && /^(rankcorr|extremes|stratified sample|invalid recipe|invalid retrain recipe):/.test(e.message)) throw new UsageError(e.message);
    throw e;
  } finally {
    await source.dispose();
  }
}
