// `search`: evolutionary search over a checkpoint's supernet under MAC / parameter limits (at the
// 224 px / 1000-class reference with the checkpoint's width), plus the argmax subnet. Fitness:
// the indicator rule (default) or, with --fitness accuracy, recalibrated held-out top-1 of each
// candidate's path on --data (SPOS; docs/search.md), one JSON line per generation on stdout.
import { loadCheckpointFile } from '../checkpointFile.ts';
import {
  bestArch, DEFAULT_ACCURACY_FITNESS, DEFAULT_EVOLUTION, DEFAULT_SCORE_RULE, fitness, runSearch, SCORE_RULES, SEARCH_FITNESS, type Candidate, type EvolutionConfig,
} from '../../core/search/index.ts';
import { archCost, choiceLabel, formatArch, getSpace } from '../../core/space/index.ts';
import { defined, optEnum, optInt, optNumber, parse, requireString, UsageError } from '../args.ts';
import { DATA_OPTIONS, dataFlags, openCliData } from '../data.ts';
import { readIndicators } from '../../core/model/indicators.ts';

export const searchHelp =
  'search --ckpt FILE [--rule dirf|bnnas --max-macs N --max-params N --seed K --population N --generations N ' +
  '--fitness indicator|accuracy --data synthetic|PATH... --calib-batches N --eval-batches N --batch B --json]   (limits at 224 px / 1000 classes; output is JSON)';

const OPTIONS = {
  ...DATA_OPTIONS,
  ckpt: { type: 'string' }, rule: { type: 'string' }, 'max-macs': { type: 'string' }, 'max-params': { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' },
  population: { type: 'string' }, generations: { type: 'string' }, fitness: { type: 'string' }, 'calib-batches': { type: 'string' },
  'eval-batches': { type: 'string' }, batch: { type: 'string' },
} as const;

const row = (c: Candidate) => ({ arch: formatArch(c.arch), fitness: c.fitness, macs: c.macs, params: c.params });

export async function searchCommand(argv: string[], emit: (line: object) => void = () => {}): Promise<object> {
  const v = parse(argv, OPTIONS);
  const path = requireString(v, 'ckpt');
  const rule = optEnum(v, 'rule', SCORE_RULES) ?? DEFAULT_SCORE_RULE;
  const maxMacsArg = optNumber(v, 'max-macs', (n) => n > 0, 'a number > 0');
  const maxParams = optNumber(v, 'max-params', (n) => n > 0, 'a number > 0');
  const seedArg = optInt(v, 'seed', 0);
  const fit = optEnum(v, 'fitness', SEARCH_FITNESS) ?? 'indicator';
  const population = optInt(v, 'population', 1);
  const options: Partial<EvolutionConfig> = defined({
    populationSize: population,
    // SPOS's 10 parents / 25 + 25 children per 50, scaled to a smaller population
    numParents: population === undefined ? undefined : Math.max(1, Math.round(population / 5)),
    numMutation: population === undefined ? undefined : Math.floor(population / 2),
    numCrossover: population === undefined ? undefined : Math.floor(population / 2),
    topK: population,
    generations: optInt(v, 'generations', 1),
  });
  const accuracyOptions = defined({ calibrationBatches: optInt(v, 'calib-batches', 1), evalBatches: optInt(v, 'eval-batches', 1), batchSize: optInt(v, 'batch', 2) });
  const flags = dataFlags(v);
  if (fit === 'indicator' && (flags.data || Object.keys(accuracyOptions).length > 0)) {
    throw new UsageError('--data, --calib-batches, --eval-batches and --batch need --fitness accuracy');
  }
  const trainer = await loadCheckpointFile(path, 'ckpt');
  try {
    const r = trainer.recipe;
    const table = await readIndicators(trainer.supernet);
    const space = getSpace(r.space);
    const maxMacs = maxMacsArg ?? space.defaultMaxMacs;
    const seed = seedArg ?? r.seed;
    const source =
      fit === 'accuracy' ? await openCliData({ ...flags, data: flags.data ?? ['synthetic'], resolution: r.config.resolution, numClasses: r.config.numClasses, seed: r.seed }) : null;
    let result;
    try {
      result = await runSearch({
        space, config: r.config, table, rule, limits: { maxMacs, maxParams }, seed, options, fitness: fit,
        accuracy: source ? { supernet: trainer.supernet, source, options: accuracyOptions } : undefined,
        onGeneration: fit === 'accuracy' ? (g) => emit({ generation: g.generation, best: g.best, mean: g.mean, evaluated: g.evaluated, rejected: g.rejected }) : undefined,
      });
    } catch (e) {
      if (e instanceof Error && /^(accuracy fitness|evolution):/.test(e.message)) throw new UsageError(e.message);
      throw e;
    } finally {
      await source?.dispose();
    }
    const best = bestArch(table, rule);
    const bestCost = archCost(space, r.config, best).reference;
    return {
      space: r.space,
      config: r.config,
      init: r.init,
      step: trainer.stepIndex,
      rule,
      fitness: fit,
      ...(fit === 'accuracy' ? { accuracy: { ...DEFAULT_ACCURACY_FITNESS, ...accuracyOptions }, data: source!.name } : {}),
      seed,
      limits: { maxMacs, maxParams: maxParams ?? null, at: { resolution: 224, numClasses: 1000, widthMult: r.config.widthMult } },
      evolution: { ...DEFAULT_EVOLUTION, ...options },
      best: {
        arch: formatArch(best),
        labels: best.map((c) => choiceLabel(space, c)),
        fitness: fitness(table, rule, best),
        macs: bestCost.macs,
        params: bestCost.params,
        withinLimits: bestCost.macs <= maxMacs && (maxParams === undefined || bestCost.params <= maxParams),
      },
      top: result.top.map(row),
      history: result.history,
      pareto: result.pareto.map(row),
      evaluated: result.evaluated,
    };
  } finally {
    trainer.dispose();
  }
}
