// Protocol of live isometry and run comparison (docs/app.md "Protocol", docs/isometry.md
// "Live watching"): the watch settings, the spectra streamed while training, the stored series
// restored on resume, and the two runs fetched and compared. index.ts re-exports everything here
// and adds the commands and events to its unions.
//
// It has no runtime imports and touches no global; the data shapes it carries are
// the pure core's (type-only imports of files that import no tensors and no DOM), so the worker,
// the UI and the CLI share one definition of the frame, the series and the comparison.
import type { IndicatorSnapshot } from '../../core/model/indicatorTable.ts';
import type { RunComparison } from '../../core/compare/compareRuns.ts';
import type { WatchKey } from '../../core/isometry/watchList.ts';
import type { WatchFrame, WatchSeries } from '../../core/isometry/watchSeries.ts';
import type { MetricsHistory, RunSummary } from './runs.ts';

export type { IndicatorSnapshot, RunComparison, WatchKey, WatchFrame, WatchSeries };

/** What the live session watches and how often; kept by the worker across builds and resumes. */
export interface WatchSettings {
  /**
   * The watch list's text (src/core/isometry/watchList.ts): "default" (every candidate of three
   * layers spread over the depth), "none", or groups like "3,10,17" / "3:0,1,-1;10".
   */
  list: string;
  /** Largest share of wall time watching may take, in [0, 1] (0: never; 1: after every step). */
  share: number;
  /** Requested tile side (>= 1), and the cap on max(rows, cols) of each Jacobian (>= 1). */
  tile: number;
  maxDim: number;
}

/** The worker's settings until a `watchSet` changes them (src/worker/watch.test.ts keeps them equal to the core's). */
export const DEFAULT_WATCH_SETTINGS: WatchSettings = { list: 'default', share: 0.1, tile: 4, maxDim: 256 };

/**
 * Change the watch settings (fields left out keep their value). Checked against the current
 * session's layers when there is one (refused with a message naming the bad part; nothing
 * changes then); takes effect from the session's next step (the cadence starts afresh) and stays
 * for later builds and resumes. Answered by `watchConfig`.
 */
export interface WatchSetCommand {
  type: 'watchSet';
  id: number;
  settings: Partial<WatchSettings>;
}

/**
 * The watch settings in force and the modules they watch in the current session (layer ascending,
 * then the layer's candidate order; [] without a session). Answers `watchSet` (its id), and is
 * sent with id null after every `built` and `runResumed`.
 */
export interface WatchConfigEvent {
  type: 'watchConfig';
  id: number | null;
  settings: WatchSettings;
  modules: WatchKey[];
  /** Why the settings' list could not be used for this session (it then watches the default list). */
  problem?: string;
}

/**
 * The watched spectra after one training step (streams while a session runs; not tied to a
 * command): `step` is the 0-based index of the step just taken (as `trainProgress.step`), analysed
 * on that step's batch with the supernet as the step left it. `histCounts` is transferred.
 */
export interface WatchSpectraEvent extends WatchFrame {
  type: 'watchSpectra';
}

/**
 * The stored watch series of a run made live again (sent right after `runResumed`, same id): the
 * frames of the steps before its checkpoint; null when the run has none. Its buffers are transferred.
 */
export interface WatchHistoryEvent {
  type: 'watchHistory';
  id: number | null;
  runId: string;
  series: WatchSeries | null;
}

/**
 * Fetch two stored runs and compare them (B against A; src/core/compare/compareRuns.ts); answered
 * by `runCompared`. Reads what is stored (a live run: as of its last checkpoint); the indicator
 * tables are read from the stored checkpoints.
 */
export interface RunCompareCommand {
  type: 'runCompare';
  id: number;
  runA: string;
  runB: string;
  /** Steps the final loss / top-1 average over (default 10). */
  window?: number;
}

/** One run of a comparison: what a chart needs (buffers transferred). */
export interface ComparedRun {
  run: RunSummary;
  /** Entries 0..checkpointStep-1 (as stored with the checkpoint). */
  metrics: MetricsHistory;
  /** The stored checkpoint's indicator table; null when the run has no checkpoint (see `problem`). */
  indicators: IndicatorSnapshot | null;
  watch: WatchSeries | null;
  problem?: string;
}

export interface RunComparedEvent {
  type: 'runCompared';
  id: number;
  a: ComparedRun;
  b: ComparedRun;
  comparison: RunComparison;
}

export type WatchCommand = WatchSetCommand | RunCompareCommand;
export type WatchEvent = WatchConfigEvent | WatchSpectraEvent | WatchHistoryEvent | RunComparedEvent;
