// The search as the CLI runs it (the worker drives the same evolution engine itself, in
// src/worker/search.ts, to yield between generations and stream each candidate's cost): the
// engine (evolution.ts) driven asynchronously with either fitness -
//   'indicator' (default): the scoring rule over the indicator table (score.ts);
//   'accuracy': recalibrated held-out top-1 of the path through the supernet (accuracy.ts),
// with progress callbacks and a cooperative stop (an AbortSignal and / or a `shouldStop()`
// callback, checked before every candidate). A stopped search returns the result as of its
// last completed generation, with `stopped: true`.
import type { BatchSource } from '../data/source.ts';
import type { Supernet } from '../model/supernet.ts';
import type { Arch } from '../space/types.ts';
import { AccuracyScorer, type AccuracyFitnessOptions } from './accuracy.ts';
import { evolutionEngine, type GenerationStats, type SearchInput, type SearchResult } from './evolution.ts';
import { fitnessFromTerms, layerTerms } from './score.ts';

export type SearchFitness = 'indicator' | 'accuracy';
export const SEARCH_FITNESS: readonly SearchFitness[] = ['indicator', 'accuracy'];

/** Anything with `aborted` (an AbortSignal from an AbortController works). */
export interface StopSignal {
  readonly aborted: boolean;
}

export interface RunSearchInput extends SearchInput {
  /** Default 'indicator'. The table and rule still pick the argmax seed under 'accuracy'. */
  fitness?: SearchFitness;
  /** Required for fitness 'accuracy': the supernet (its BN statistics are restored afterwards) and the data. */
  accuracy?: { supernet: Supernet; source: BatchSource; options?: Partial<AccuracyFitnessOptions> };
  /** After every generation: its statistics and the search as it stands. */
  onGeneration?: (stats: GenerationStats, partial: SearchResult) => void;
  /** After every scored candidate (0-based count of candidates scored so far). */
  onCandidate?: (c: { arch: Arch; fitness: number; index: number }) => void;
  signal?: StopSignal;
  shouldStop?: () => boolean;
}

export interface RunSearchResult extends SearchResult {
  fitness: SearchFitness;
  /** True when a stop request ended the search early (the result is as of the last whole generation). */
  stopped: boolean;
}

const EMPTY: SearchResult = { top: [], history: [], pareto: [], evaluated: 0 };

export async function runSearch(input: RunSearchInput): Promise<RunSearchResult> {
  const fitness = input.fitness ?? 'indicator';
  let score: (arch: Arch) => number | Promise<number>;
  let scorer: AccuracyScorer | null = null;
  if (fitness === 'indicator') {
    const terms = layerTerms(input.table, input.rule);
    score = (arch) => fitnessFromTerms(terms, arch);
  } else if (fitness === 'accuracy') {
    if (!input.accuracy) throw new Error('search: fitness "accuracy" needs a supernet and data');
    scorer = await AccuracyScorer.create(input.accuracy.supernet, input.accuracy.source, input.accuracy.options);
    const s = scorer;
    score = (arch) => s.score(arch);
  } else {
    throw new Error(`search: fitness must be one of ${SEARCH_FITNESS.join(', ')}, got "${String(fitness)}"`);
  }
  const stopRequested = () => (input.signal?.aborted ?? false) || (input.shouldStop?.() ?? false);
  try {
    const engine = evolutionEngine(input);
    let last: SearchResult = EMPTY;
    let reply: number | undefined;
    let index = 0;
    for (;;) {
      const r = engine.next(reply);
      if (r.done) return { ...r.value, fitness, stopped: false };
      const req = r.value;
      if (req.kind === 'generation') {
        last = req.result;
        input.onGeneration?.(req.stats, req.result);
        reply = undefined;
        continue;
      }
      if (stopRequested()) {
        engine.return(EMPTY);
        return { ...last, fitness, stopped: true };
      }
      reply = await score(req.arch);
      input.onCandidate?.({ arch: req.arch, fitness: reply, index: index++ });
    }
  } finally {
    scorer?.dispose();
  }
}
