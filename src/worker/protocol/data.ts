// Data: files posted from the page, read inside the worker. The loaded data is the source every
// later `build` trains on, until `dataClear` selects the synthetic data again. The worker side is
// src/worker/data/handler.ts.

/** One picked or dropped file; `path` is its relative path (a folder pick / drop), else its name. */
export interface DataFileRef {
  file: File;
  path: string;
}

/**
 * Read `files` (shards, or an ImageFolder's images) in the worker: streams `dataProgress`,
 * `dataIssue` and `dataSamples`, then answers with `dataLoaded`. A later `loadData` or
 * `dataClear` cancels a load in progress (it then answers with `cancelled: true`).
 */
export interface LoadDataCommand {
  type: 'loadData';
  id: number;
  files: DataFileRef[];
  /**
   * Training on this data keeps each decoded image (at twice the training resolution) in the
   * Origin Private File System, so later epochs skip decoding (src/worker/data/decodeCache.ts).
   */
  cache?: boolean;
  /**
   * Held-out fraction of the samples (by key hash, as the CLI's --val-fraction) when no file is
   * recognised as validation by its path; in [0, 1), default 0.01, 0 = no validation data
   * (src/worker/data/split.ts).
   */
  valFraction?: number;
}

/** Select the built-in synthetic data again (cancelling a load); answered by `dataCleared`. */
export interface DataClearCommand {
  type: 'dataClear';
  id: number;
}
/** Where a `loadData` stands (throttled while reading; always sent last before `dataLoaded`). */
export interface DataProgressEvent {
  type: 'dataProgress';
  /** The loadData command's id. */
  id: number;
  filesDone: number;
  filesTotal: number;
  /** The file being read (its path), or null between files. */
  currentFile: string | null;
  /** File bytes read (as stored: compressed bytes for .gz) and their total over all files. */
  bytesRead: number;
  bytesTotal: number;
  /** Samples read with a valid label and a decodable image. */
  samples: number;
  /** Samples skipped because of an issue (sent as dataIssue). */
  skipped: number;
  /** Samples per sorted-synset class index 0..999 (length 1000; transferred). */
  perClass: Uint32Array;
  /** Images decoded so far, and decoded images per second of decoding. */
  decoded: number;
  decodePerSec: number;
  /**
   * Name of each class index when an ImageFolder without synset directories is read (classes =
   * its sorted directory names); null when class indices are sorted synsets.
   */
  folderClassNames: string[] | null;
  /** Some sample named its ImageNet synset (shard member, file or folder name): indices are ImageNet's. */
  synsetLabels: boolean;
}

/** One bad input: the sample (or the rest of the file) was skipped. */
export interface DataIssueEvent {
  type: 'dataIssue';
  /** The loadData command's id; null when found while training on the data (each reported once). */
  id: number | null;
  file: string;
  /** Machine-readable reason (the IssueCode of src/core/data/formats/shard.ts). */
  code: string;
  key?: string;
  offset?: number;
  /** The full message: names the file and the sample key and / or byte offset. */
  reason: string;
}

/** A decoded sample for the Data panel's grid: RGBA, width x height (buffer transferred). */
export interface DataThumbnail {
  file: string;
  key: string;
  classIndex: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** A few decoded samples of the data being loaded (sent once, as soon as there are enough). */
export interface DataSamplesEvent {
  type: 'dataSamples';
  id: number;
  samples: DataThumbnail[];
}

/** What a finished (or cancelled) load selected; the next `build` trains on it. */
export interface DataSummary {
  /** Name shown with runs, e.g. "3 files (imagenet1k-train-0000.tar, ...)". */
  name: string;
  files: number;
  bytes: number;
  samples: number;
  skipped: number;
  issues: number;
  /** Class indices (0..999) present, ascending: training label k = classIndices[k]. */
  classIndices: number[];
  /** Samples of each class in classIndices order. */
  classCounts: number[];
  /**
   * Name of each class in classIndices order: an ImageFolder directory, "n01440764 tench" when the
   * data names ImageNet synsets (synsetLabels), else "class 3".
   */
  classNames: string[];
  /** The data declared its labels ImageNet's (some sample named a synset). */
  synsetLabels: boolean;
  decoded: number;
  decodePerSec: number;
  /** How training and validation samples are told apart (the file paths, or a held-out fraction). */
  split: DataSplit;
}

/**
 * The split of loaded data: 'files': the files whose path marks them as validation
 * (src/core/data/pipeline/splitFiles.ts) are the validation set; 'fraction': that fraction of every file's
 * samples is held out by key hash; 'none': no validation data (fraction 0).
 */
export type DataSplit =
  | { kind: 'files'; valFiles: number; valBytes: number; trainFiles: number; /** The first validation paths (at most 20). */ shown: string[] }
  | { kind: 'fraction'; fraction: number; /** Why files named as validation are not used as such, if some are. */ note?: string }
  | { kind: 'none'; note?: string };

/**
 * Answers `loadData`. `summary` is null when nothing usable was read (no sample, fewer than two
 * classes, or cancelled): the selection is then unchanged.
 */
export interface DataLoadedEvent {
  type: 'dataLoaded';
  id: number;
  summary: DataSummary | null;
  cancelled: boolean;
  /** Why nothing was selected, when summary is null. */
  reason?: string;
}

/** Answers `dataClear`: the built-in synthetic data is selected. */
export interface DataClearedEvent {
  type: 'dataCleared';
  id: number;
}
