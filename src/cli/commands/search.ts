// `search`: evolutionary search over a checkpoint's indicator table under MAC / parameter limits
// (at the 224 px / 1000-class reference with the checkpoint's width), plus the argmax subnet.
import { bestArch, DEFAULT_EVOLUTION, DEFAULT_SCORE_RULE, evolutionSearch, fitness, SCORE_RULES, type Candidate } from '../../core/search/index.ts';
import { archCost, choiceLabel, formatArch, getSpace } from '../../core/space/index.ts';
import { optEnum, optInt, optNumber, parse, requireString } from '../args.ts';
import { readCheckpointSource } from './searchSource.ts';

export const searchHelp = 'search --ckpt FILE [--rule dirf|bnnas --max-macs N --max-params N --seed K --json]   (limits at 224 px / 1000 classes; output is JSON)';

const OPTIONS = {
  ckpt: { type: 'string' }, rule: { type: 'string' }, 'max-macs': { type: 'string' }, 'max-params': { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' },
} as const;

const row = (c: Candidate) => ({ arch: formatArch(c.arch), fitness: c.fitness, macs: c.macs, params: c.params });

export async function searchCommand(argv: string[]): Promise<object> {
  const v = parse(argv, OPTIONS);
  const path = requireString(v, 'ckpt');
  const rule = optEnum(v, 'rule', SCORE_RULES) ?? DEFAULT_SCORE_RULE;
  const maxMacsArg = optNumber(v, 'max-macs', (n) => n > 0, 'a number > 0');
  const maxParams = optNumber(v, 'max-params', (n) => n > 0, 'a number > 0');
  const seedArg = optInt(v, 'seed', 0);
  const src = await readCheckpointSource(path);
  const space = getSpace(src.space);
  const maxMacs = maxMacsArg ?? space.defaultMaxMacs;
  const seed = seedArg ?? src.seed;
  const result = evolutionSearch({ space, config: src.config, table: src.table, rule, limits: { maxMacs, maxParams }, seed });
  const best = bestArch(src.table, rule);
  const bestCost = archCost(space, src.config, best).reference;
  return {
    space: src.space,
    config: src.config,
    init: src.init,
    step: src.step,
    rule,
    seed,
    limits: { maxMacs, maxParams: maxParams ?? null, at: { resolution: 224, numClasses: 1000, widthMult: src.config.widthMult } },
    evolution: DEFAULT_EVOLUTION,
    best: {
      arch: formatArch(best),
      labels: best.map((c) => choiceLabel(space, c)),
      fitness: fitness(src.table, rule, best),
      macs: bestCost.macs,
      params: bestCost.params,
      withinLimits: bestCost.macs <= maxMacs && (maxParams === undefined || bestCost.params <= maxParams),
    },
    top: result.top.map(row),
    history: result.history,
    pareto: result.pareto.map(row),
    evaluated: result.evaluated,
  };
}
