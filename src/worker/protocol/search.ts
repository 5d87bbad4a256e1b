// Search: evolutionary search over the built session's indicator table, and export of a picked
// subnet. See docs/search.md; the worker side is src/worker/search.ts.
import type { SpaceId } from './vocabulary.ts';

/** Scoring rules of src/core/search/score.ts (kept equal by src/worker/search.test.ts). */
export const SCORE_RULE_NAMES = ['dirf', 'bnnas'] as const;
export type ScoreRuleName = (typeof SCORE_RULE_NAMES)[number];
export const EXPORT_FORMATS = ['json', 'timm'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Search the current session's indicator table (a snapshot taken now; the session must have
 * trained at least one step; it may still be running). Answered by `searchResult` (same id) after
 * a stream of `searchGeneration` events (same id); one search at a time.
 */
export interface SearchCommand {
  type: 'search';
  id: number;
  rule: ScoreRuleName;
  /** Limits on the reference cost (224 px, 1000 classes, the run's width); null = no limit. */
  maxMacs: number | null;
  maxParams: number | null;
  /** Seed of the search's random draws. */
  seed: number;
  /** Evolution overrides (defaults: DEFAULT_EVOLUTION, 50 x 20). */
  populationSize?: number;
  generations?: number;
}

/**
 * Stop the running search after the generation in flight (its `searchResult` then has
 * `stopped: true`); answered by `searchStopped` once it has ended.
 */
export interface SearchStopCommand {
  type: 'searchStop';
  id: number;
}

/**
 * Export `arch` of the current session: the indicator table of its last search (or a snapshot
 * taken now if it has none) and the session's space, config, seed and init. `rule` defaults to
 * the last search's (else dirf). Answered by `exported`.
 */
export interface ExportCommand {
  type: 'export';
  id: number;
  arch: number[];
  format: ExportFormat;
  rule?: ScoreRuleName;
}

/** A scored architecture; macs / params at the reference (224 px, 1000 classes, the run's width). */
export interface SearchCandidate {
  arch: number[];
  fitness: number;
  macs: number;
  params: number;
}

/** Per-generation statistics (core GenerationStats without the top list's fitness). */
export interface SearchGenerationStats {
  generation: number;
  best: number | null;
  mean: number | null;
  evaluated: number;
  rejected: number;
}

/**
 * Search progress (throttled): the latest finished generation and the candidates scored since
 * the previous event, as (MACs, fitness) columns; the buffers are transferred.
 */
export interface SearchGenerationEvent extends SearchGenerationStats {
  type: 'searchGeneration';
  id: number;
  /** Generations the search will run in all. */
  generations: number;
  macs: Float64Array;
  fitness: Float64Array;
}

/** A search ended (ran out or was stopped); `id` is the `search` command's. */
export interface SearchResultEvent {
  type: 'searchResult';
  id: number;
  stopped: boolean;
  space: SpaceId;
  widthMult: number;
  rule: ScoreRuleName;
  seed: number;
  maxMacs: number | null;
  maxParams: number | null;
  populationSize: number;
  generations: number;
  /** Training steps the searched indicator table had taken. */
  tableStep: number;
  /** Best first (at most 50). */
  top: SearchCandidate[];
  /** Non-dominated (MACs ascending, fitness ascending). */
  pareto: SearchCandidate[];
  history: SearchGenerationStats[];
  /** Distinct candidates scored. */
  evaluated: number;
  /** The per-layer argmax subnet, whether or not it fits the limits. */
  argmax: SearchCandidate & { withinLimits: boolean };
}

/** A search result as a run keeps it (RunRecord.search): the event without its type and command id. */
export type StoredSearch = Omit<SearchResultEvent, 'type' | 'id'>;

export interface SearchStoppedEvent {
  type: 'searchStopped';
  id: number;
  /** False when no search was running. */
  wasRunning: boolean;
}

/** The exported text (JSON for both formats) and a file name for it. */
export interface ExportedEvent {
  type: 'exported';
  id: number;
  format: ExportFormat;
  filename: string;
  text: string;
}
