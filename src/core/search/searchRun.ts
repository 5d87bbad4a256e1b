// The search as the CLI and the worker run it: the evolution engine (evolution.ts) driven
// asynchronously with either fitness -
//   'indicator' (default): the scoring rule over the indicator table (score.ts);
//   'accuracy': recalibrated held-out top-1 of the path through the supernet (accuracy.ts),
// with progress callbacks and a cooperative stop. Its rules (docs/search.md, "Progress, stop and
// input errors"):
// - input errors come first: every check (fitness, options, limits, the table against the space,
//   the rule over the table) runs before any work - before the accuracy scorer uploads its batches
//   and before the first candidate is scored. `checkRunSearchInput` runs the same checks alone.
// - a stop (an AbortSignal and / or `shouldStop()`) is checked before every candidate and after
//   every generation's `onGeneration` but the last's. A search stopped during generation g (0-based)
//   returns the search as of its last whole generation (`history` has g entries; top, Pareto front
//   and `evaluated` as they stood then) with `stopped: true`. Once the last generation is whole the
//   search is complete: a stop that comes later returns the whole result with `stopped: false`.
// - `onGeneration` may return a promise: the next generation waits for it (the worker yields to
//   its event loop there, so its stop command gets in).
import type { BatchSource } from '../data/source.ts';
import type { Supernet } from '../model/supernet.ts';
import type { Arch } from '../space/types.ts';
import { AccuracyScorer, type AccuracyFitnessOptions } from './accuracy.ts';
import { checkSearchInput, evolutionEngine, type GenerationStats, type SearchInput, type SearchResult } from './evolution.ts';
import { fitnessFromTerms, layerTerms, type LayerTerms } from './score.ts';

export type SearchFitness = 'indicator' | 'accuracy';
export const SEARCH_FITNESS: readonly SearchFitness[] = ['indicator', 'accuracy'];

/** Anything with `aborted` (an AbortSignal from an AbortController works). */
export interface StopSignal {
  readonly aborted: boolean;
}

/** A scored candidate as `onCandidate` sees it: its reference cost and its 0-based index among the scored. */
export interface ScoredCandidate {
  arch: Arch;
  fitness: number;
  macs: number;
  params: number;
  index: number;
}

export interface RunSearchInput extends SearchInput {
  /** Default 'indicator'. The table and rule still pick the argmax seed under 'accuracy'. */
  fitness?: SearchFitness;
  /** Required for fitness 'accuracy': the supernet (its BN statistics are restored afterwards) and the data. */
  accuracy?: { supernet: Supernet; source: BatchSource; options?: Partial<AccuracyFitnessOptions> };
  /** After every generation: its statistics and the search as it stands; a returned promise is awaited. */
  onGeneration?: (stats: GenerationStats, partial: SearchResult) => void | Promise<void>;
  /** After every scored candidate. */
  onCandidate?: (c: ScoredCandidate) => void;
  signal?: StopSignal;
  shouldStop?: () => boolean;
}

export interface RunSearchResult extends SearchResult {
  fitness: SearchFitness;
  /** True when a stop request ended the search before its last generation (the result is as of the last whole generation). */
  stopped: boolean;
}

const EMPTY: SearchResult = { top: [], history: [], pareto: [], evaluated: 0 };

/** Every input check of runSearch, none of its work; the indicator terms when the fitness is 'indicator'. */
function prepare(input: RunSearchInput): { fitness: SearchFitness; terms: LayerTerms | null; generations: number } {
  const fitness = input.fitness ?? 'indicator';
  if (!SEARCH_FITNESS.includes(fitness)) throw new Error(`search: fitness must be one of ${SEARCH_FITNESS.join(', ')}, got "${String(fitness)}"`);
  if (fitness === 'accuracy' && !input.accuracy) throw new Error('search: fitness "accuracy" needs a supernet and data');
  const { options } = checkSearchInput(input);
  const terms = fitness === 'indicator' ? layerTerms(input.table, input.rule) : null; // dirf refuses zero scores here
  return { fitness, terms, generations: options.generations };
}

/** Throws what runSearch would reject with before doing any work (callers that answer input errors apart from the run). */
export function checkRunSearchInput(input: RunSearchInput): void {
  prepare(input);
}

export async function runSearch(input: RunSearchInput): Promise<RunSearchResult> {
  const { fitness, terms, generations } = prepare(input);
  let score: (arch: Arch) => number | Promise<number>;
  let scorer: AccuracyScorer | null = null;
  if (terms !== null) {
    score = (arch) => fitnessFromTerms(terms, arch);
  } else {
    const acc = input.accuracy!;
    scorer = await AccuracyScorer.create(acc.supernet, acc.source, acc.options);
    const s = scorer;
    score = (arch) => s.score(arch);
  }
  const stopRequested = () => (input.signal?.aborted ?? false) || (input.shouldStop?.() ?? false);
  try {
    const engine = evolutionEngine(input);
    let last: SearchResult = EMPTY;
    let reply: number | undefined;
    let index = 0;
    const stop = (): RunSearchResult => {
      engine.return(EMPTY);
      return { ...last, fitness, stopped: true };
    };
    for (;;) {
      const r = engine.next(reply);
      if (r.done) return { ...r.value, fitness, stopped: false };
      const req = r.value;
      if (req.kind === 'generation') {
        last = req.result;
        await input.onGeneration?.(req.stats, req.result);
        // also between generations, so a run of generations that score nothing (all drawn over a
        // limit or seen) still stops; after the last one the search is complete
        if (req.stats.generation < generations - 1 && stopRequested()) return stop();
        reply = undefined;
        continue;
      }
      if (stopRequested()) return stop();
      reply = await score(req.arch);
      input.onCandidate?.({ arch: req.arch, fitness: reply, macs: req.macs, params: req.params, index: index++ });
    }
  } finally {
    scorer?.dispose();
  }
}
