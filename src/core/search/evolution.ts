// Evolutionary search over an indicator table (SPOS / BN-NAS, docs/method.md): a random population
// (seeded with the per-layer argmax subnet when it fits the limits), then generations of children
// bred from the best candidates seen so far. The engine is a coroutine (`evolutionEngine`) driven
// here with the indicator fitness (synchronously) and in searchRun.ts with either fitness
// (asynchronously, with progress and stop: the CLI and the worker). Candidates over the
// MAC / parameter limits (at the 224 px / 1000-class reference with the configured width, see
// docs/spaces.md) are rejected before scoring and never returned. Seeded and deterministic: the
// only randomness is deriveRng(seed, 'search', 'evolution').
import type { IndicatorTable } from '../model/indicatorTable.ts';
import { deriveRng, type Rng } from '../rng.ts';
import { referenceConfig } from '../space/cost.ts';
import { formatArch, resolveSpace } from '../space/decode.ts';
import type { Arch, ResolvedSpace, SpaceConfig, SpaceDef } from '../space/types.ts';
import { costTable, tableCost } from './costTable.ts';
import { paretoFront } from './pareto.ts';
import { bestArch, checkTableFits, fitnessFromTerms, layerTerms, type LayerTerms, type ScoreRule } from './score.ts';

export interface EvolutionConfig {
  /** Candidates per generation (the random population, then children + random refill). */
  populationSize: number;
  /** Parents: the best `numParents` candidates seen so far (SPOS select_num). */
  numParents: number;
  /** Children by mutation per generation. */
  numMutation: number;
  /** Probability that a gene of a mutated child is resampled uniformly from the layer's choices. */
  mutationProb: number;
  /** Children by uniform crossover of two parents per generation. */
  numCrossover: number;
  /** Generations, the random initial population included. */
  generations: number;
  /** Each batch of children gets at most this many tries per wanted child (docs/method.md: 10). */
  maxTriesFactor: number;
  /**
   * The random population / refill gets at most this many tries per wanted candidate. SPOS draws
   * until the population is full (unbounded); under BN-NAS's 475M limit only about 0.3% of uniform
   * random bnnas-mbv2 architectures qualify, so the cap is large; it only guarantees termination.
   */
  maxRandomTriesFactor: number;
  /** Size of the returned top list. */
  topK: number;
  /**
   * Put the single best subnet (the per-layer argmax of the rule, `bestArch`) into the initial
   * population when it is within the limits, so the search never ends below it.
   */
  seedArgmax: boolean;
}

/** SPOS / BN-NAS values (docs/method.md). */
export const DEFAULT_EVOLUTION: EvolutionConfig = {
  populationSize: 50,
  numParents: 10,
  numMutation: 25,
  mutationProb: 0.1,
  numCrossover: 25,
  generations: 20,
  maxTriesFactor: 10,
  maxRandomTriesFactor: 1000,
  topK: 50,
  seedArgmax: true,
};

/** Limits on the reference cost (224 px, 1000 classes, configured width); undefined = none. */
export interface SearchLimits {
  maxMacs?: number;
  maxParams?: number;
}

/** A scored candidate; macs / params at the reference. */
export interface Candidate {
  arch: Arch;
  fitness: number;
  macs: number;
  params: number;
}

export interface GenerationStats {
  /** 0 = the random initial population. */
  generation: number;
  /** Best fitness seen so far (the head of the top list); null while nothing was scored. */
  best: number | null;
  /** Mean fitness of this generation's newly scored candidates; null if none. */
  mean: number | null;
  /** Fitness of the top list after this generation, best first. */
  topFitness: number[];
  /** Candidates scored in this generation. */
  evaluated: number;
  /** Draws of this generation rejected before scoring because they were over a limit. */
  rejected: number;
}

export interface SearchResult {
  /** Up to topK candidates, best first. */
  top: Candidate[];
  history: GenerationStats[];
  /** Non-dominated candidates of everything scored (MACs ascending). */
  pareto: Candidate[];
  /** Distinct candidates scored in total. */
  evaluated: number;
}

export interface SearchInput {
  space: SpaceDef;
  config: SpaceConfig;
  table: IndicatorTable;
  rule: ScoreRule;
  limits?: SearchLimits;
  seed: number;
  options?: Partial<EvolutionConfig>;
}

function checkOptions(o: EvolutionConfig): void {
  const intAtLeast = (k: Exclude<keyof EvolutionConfig, 'seedArgmax'>, min: number) => {
    if (!Number.isInteger(o[k]) || o[k] < min) throw new Error(`evolution: ${k} must be an integer >= ${min}, got ${o[k]}`);
  };
  intAtLeast('populationSize', 1);
  intAtLeast('numParents', 1);
  intAtLeast('numMutation', 0);
  intAtLeast('numCrossover', 0);
  intAtLeast('generations', 1);
  intAtLeast('maxTriesFactor', 1);
  intAtLeast('maxRandomTriesFactor', 1);
  intAtLeast('topK', 1);
  if (!(o.mutationProb >= 0 && o.mutationProb <= 1)) throw new Error(`evolution: mutationProb must be in [0, 1], got ${o.mutationProb}`);
  if (typeof o.seedArgmax !== 'boolean') throw new Error(`evolution: seedArgmax must be a boolean, got ${String(o.seedArgmax)}`);
}

function checkLimits(l: SearchLimits): void {
  for (const k of ['maxMacs', 'maxParams'] as const) {
    const v = l[k];
    if (v !== undefined && !(typeof v === 'number' && v > 0)) throw new Error(`limits.${k} must be a number > 0, got ${String(v)}`);
  }
}

/** Better first: higher fitness, then the lexicographically smaller arch string (deterministic). */
function compare(a: Candidate, b: Candidate): number {
  if (a.fitness !== b.fitness) return b.fitness - a.fitness;
  const ka = formatArch(a.arch);
  const kb = formatArch(b.arch);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** What the search engine asks its driver for: a fitness to score, or a generation is done. */
export type EngineRequest =
  /** `macs` / `params`: the candidate's reference cost (within the limits). */
  | { kind: 'score'; arch: Arch; macs: number; params: number }
  /** `result`: the search as it stands after this generation (what a stop now would return). */
  | { kind: 'generation'; stats: GenerationStats; result: SearchResult };

/**
 * The engine's input checks, run before anything else: the options (merged over
 * DEFAULT_EVOLUTION), the limits, and the table against the space. Throws the first problem;
 * returns the merged options, the resolved space and the limits.
 */
export function checkSearchInput(input: SearchInput): { options: EvolutionConfig; space: ResolvedSpace; limits: SearchLimits } {
  const options: EvolutionConfig = { ...DEFAULT_EVOLUTION, ...input.options };
  checkOptions(options);
  const limits = input.limits ?? {};
  checkLimits(limits);
  const space = resolveSpace(input.space, input.config);
  checkTableFits(input.table, space);
  return { options, space, limits };
}

/**
 * The search as a coroutine, so the same code runs with a synchronous fitness (indicator rules)
 * and an asynchronous one (accuracy on the supernet): it yields `{kind: 'score', arch, macs,
 * params}` and must be resumed with that architecture's fitness (a finite number), and yields
 * `{kind: 'generation'}` after each generation (resume with anything). Its input is checked
 * (checkSearchInput) at the first `next()`, before anything is drawn. Limits, duplicates and
 * every random draw are handled here, so both drivers give the same result for the same fitness.
 */
export function* evolutionEngine(input: SearchInput): Generator<EngineRequest, SearchResult, number | undefined> {
  const { options: o, space: rs, limits } = checkSearchInput(input);
  const costs = costTable(resolveSpace(input.space, referenceConfig(input.config)));
  const choices = rs.layers.map((l) => l.choices);
  const rng: Rng = deriveRng(input.seed, 'search', 'evolution');

  const seen = new Set<string>(); // every arch ever scored (duplicates are skipped)
  const scored: Candidate[] = [];
  let top: Candidate[] = [];

  let rejected = 0; // draws over a limit in the current generation

  /** Scores `arch` unless over a limit or seen before; returns the candidate or null. */
  function* consider(arch: Arch): Generator<EngineRequest, Candidate | null, number | undefined> {
    const c = tableCost(costs, arch);
    if ((limits.maxMacs !== undefined && c.macs > limits.maxMacs) || (limits.maxParams !== undefined && c.params > limits.maxParams)) {
      rejected++;
      return null;
    }
    const key = formatArch(arch);
    if (seen.has(key)) return null;
    seen.add(key);
    const f = yield { kind: 'score', arch, macs: c.macs, params: c.params };
    if (typeof f !== 'number' || Number.isNaN(f)) throw new Error(`evolution: fitness of ${key} must be a number, got ${String(f)}`);
    const cand = { arch, fitness: f, macs: c.macs, params: c.params };
    scored.push(cand);
    return cand;
  }

  /** Up to `want` new candidates from `draw`, at most want * triesFactor tries. */
  function* batch(want: number, triesFactor: number, draw: () => Arch): Generator<EngineRequest, Candidate[], number | undefined> {
    const out: Candidate[] = [];
    for (let tries = want * triesFactor; out.length < want && tries > 0; tries--) {
      const c = yield* consider(draw());
      if (c) out.push(c);
    }
    return out;
  }

  const randomArch = (): Arch => choices.map((cs) => cs[rng.int(cs.length)]);
  const pickParent = (): Arch => top[rng.int(Math.min(o.numParents, top.length))].arch;
  const mutate = (): Arch => pickParent().map((g, l) => (rng.uniform() < o.mutationProb ? choices[l][rng.int(choices[l].length)] : g));
  const crossover = (): Arch => {
    const a = pickParent();
    const b = pickParent();
    return a.map((g, l) => (rng.int(2) === 0 ? g : b[l]));
  };

  const history: GenerationStats[] = [];
  for (let generation = 0; generation < o.generations; generation++) {
    rejected = 0;
    const population: Candidate[] = [];
    if (generation === 0 && o.seedArgmax) {
      // The single best subnet (per-layer argmax) joins the initial population when it fits the
      // limits (consider rejects it otherwise), so the search never ends below it.
      const seeded = yield* consider(bestArch(input.table, input.rule));
      if (seeded) population.push(seeded);
    }
    if (generation > 0 && top.length > 0) {
      population.push(...(yield* batch(o.numMutation, o.maxTriesFactor, mutate)));
      population.push(...(yield* batch(o.numCrossover, o.maxTriesFactor, crossover)));
    }
    population.push(...(yield* batch(Math.max(0, o.populationSize - population.length), o.maxRandomTriesFactor, randomArch)));
    top = [...top, ...population].sort(compare).slice(0, o.topK);
    const mean = population.length ? population.reduce((s, c) => s + c.fitness, 0) / population.length : null;
    const stats: GenerationStats = {
      generation,
      best: top.length ? top[0].fitness : null,
      mean,
      topFitness: top.map((c) => c.fitness),
      evaluated: population.length,
      rejected,
    };
    history.push(stats);
    yield { kind: 'generation', stats, result: { top, history: [...history], pareto: paretoFront(scored), evaluated: scored.length } };
  }
  return { top, history, pareto: paretoFront(scored), evaluated: scored.length };
}

/** The search with an indicator-rule fitness (synchronous, pure). */
export function evolutionSearch(input: SearchInput): SearchResult {
  const terms: LayerTerms = layerTerms(input.table, input.rule);
  const engine = evolutionEngine(input);
  let reply: number | undefined;
  for (;;) {
    const r = engine.next(reply);
    if (r.done) return r.value;
    reply = r.value.kind === 'score' ? fitnessFromTerms(terms, r.value.arch) : undefined;
  }
}
