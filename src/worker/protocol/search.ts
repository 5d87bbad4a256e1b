// Search: evolutionary search over the built session's indicator table, and export of a picked
// subnet. See docs/search.md; the worker side is src/worker/search.ts.
import type { RunSummary } from './runs.ts';
import type { SpaceId } from './vocabulary.ts';

/** Scoring rules of src/core/search/score.ts (kept equal by src/worker/search.test.ts). */
export const SCORE_RULE_NAMES = ['dirf', 'bnnas'] as const;
export type ScoreRuleName = (typeof SCORE_RULE_NAMES)[number];
export const EXPORT_FORMATS = ['json', 'timm'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Search the current session's indicator table (a snapshot taken now; the session must have
 * trained at least one step; it may still be running). Answered by `searchResult` (same id) after
 * a stream of `searchGeneration` events (same id) and, when the result was stored with the
 * session's run, one `searchSaved` (same id); one search at a time. Input errors are answered
 * (`error`, same id) before the search starts.
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
 * Stop the running search before its next candidate (its `searchResult` then has `stopped: true`
 * and the search as of its last whole generation; a stop that comes after the last generation
 * leaves the complete result, `stopped: false`); answered by `searchStopped` once it has ended
 * (its result stored and posted).
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

/**
 * The worker stored the search's result with the run of the supernet it searched (posted before
 * `searchResult`, with the search command's id): `run` is that run's summary now; or it could not
 * (`run` null, `problem` says why; the search itself is not failed). Not posted when that supernet
 * has no live run any more (another was built or resumed meanwhile).
 */
export type SearchSavedEvent = { type: 'searchSaved'; id: number } & ({ run: RunSummary; problem?: undefined } | { run: null; problem: string });

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
