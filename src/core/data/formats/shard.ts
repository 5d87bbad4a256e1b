// What every shard reader yields and reports: samples with labels in one scheme, statistics, and
// DataIssue records for bad input (never an exception out of the reader; see docs/data.md).
import { LIMITS } from '../../limits.ts';
import { NUM_IMAGENET_CLASSES, type ClassSubset } from '../labels/labels.ts';

/** One labelled image from a shard. */
export interface Sample {
  /** Shard file name the sample came from. */
  file: string;
  /** Sample key (WebDataset key; TFRecord: image file name if present, else "#<record index>"). */
  key: string;
  /** Encoded image bytes; owns its buffer (byteOffset 0, exact length), so it can be transferred. */
  image: Uint8Array;
  /** Image type from the container ("jpg", "jpeg", "png", "webp"; TFRecord: image/format or "jpeg"). */
  imageExt: string;
  /** Sorted-synset class index 0..999. */
  classIndex: number;
  /** Training label: classIndex without a class subset, else 0..K-1 within the subset. */
  label: number;
  /** The synset, where the shard names one (else the synset of classIndex is implied). */
  synset?: string;
  /** Byte offset in the (decompressed) shard of the sample's first member / record. */
  offset: number;
}

/** Machine-readable reason of a DataIssue (the message says the rest). */
export type IssueCode =
  | 'empty-file'
  | 'not-tar'
  | 'not-tfrecord'
  | 'unknown-format'
  | 'read-error'
  | 'truncated'
  | 'header-checksum'
  | 'header-invalid'
  | 'pax-invalid'
  | 'length-crc'
  | 'data-crc'
  | 'record-too-large'
  | 'example-invalid'
  | 'repeated-extension'
  | 'no-image'
  | 'no-label'
  | 'label-invalid'
  | 'label-out-of-range'
  | 'unknown-synset'
  | 'label-mismatch'
  | 'not-parquet'
  | 'parquet-invalid'
  | 'unsupported-codec'
  | 'row-invalid'
  | 'unreadable-file'
  | 'undecodable-image';

/** A problem with the input: the sample (or the rest of the shard) is skipped and counted. */
export interface DataIssue {
  file: string;
  code: IssueCode;
  /** Sample key, where one is known. */
  key?: string;
  /** Byte offset in the (decompressed) shard, where one is known. */
  offset?: number;
  /** Full message naming the file and the key or offset. */
  reason: string;
}

export interface ShardStats {
  file: string;
  /** The container once recognised; 'gzip' is recorded in `compressed`. */
  format: 'tar' | 'tfrecord' | 'parquet' | 'imagefolder' | 'unknown';
  compressed: boolean;
  /** Container bytes consumed (after decompression). */
  bytes: number;
  /** Tar members (entries of any type, PAX headers included) or TFRecord records seen. */
  members: number;
  /** Samples yielded. */
  samples: number;
  /** Samples yielded per class index 0..999. */
  perClass: Uint32Array;
  /** Well-formed samples dropped because their class is outside the class subset. */
  filtered: number;
  /** Samples (or groups / records) skipped because of an issue. */
  skipped: number;
  /** Issue counts by code (every issue counts, including those not kept in `issues`). */
  issueCounts: Partial<Record<IssueCode, number>>;
  /** The first `maxIssues` issues in full. */
  issues: DataIssue[];
  /** Peak bytes queued inside the byte reader (memory instrumentation; excludes the current sample). */
  peakBufferedBytes: number;
  /** True once the reader stopped early because the rest of the shard was unreadable. */
  abandoned: boolean;
  /** True once the reader reached the end of the shard (cleanly or not). */
  done: boolean;
}

export interface ReaderOptions {
  /** Shard file name, used in every message. */
  file: string;
  /** Class subset; samples of other classes are dropped (counted in `filtered`). Default: all 1000. */
  classes?: ClassSubset;
  /** Called for every issue as it happens. */
  onIssue?: (issue: DataIssue) => void;
  /** Issues kept in full in stats.issues (default 100); all are counted. */
  maxIssues?: number;
  /** Largest member / record read into memory (default 64 MiB); larger ones are skipped with an issue. */
  maxRecordBytes?: number;
  /** TFRecord only: verify the data CRC (default true). The length CRC is always verified. */
  verifyDataCrc?: boolean;
}

export const DEFAULT_MAX_RECORD_BYTES = LIMITS.maxRecordBytes;

export function newStats(file: string): ShardStats {
  return {
    file,
    format: 'unknown',
    compressed: false,
    bytes: 0,
    members: 0,
    samples: 0,
    perClass: new Uint32Array(NUM_IMAGENET_CLASSES),
    filtered: 0,
    skipped: 0,
    issueCounts: {},
    issues: [],
    peakBufferedBytes: 0,
    abandoned: false,
    done: false,
  };
}

/** Where an issue happened, formatted for the message. */
function where(file: string, key: string | undefined, offset: number | undefined): string {
  const parts = [`${file}`];
  if (key !== undefined) parts.push(`sample "${key}"`);
  if (offset !== undefined) parts.push(`byte ${offset}`);
  return parts.join(', ');
}

/** Records issues into stats and forwards them to onIssue. */
export class IssueSink {
  constructor(
    readonly stats: ShardStats,
    private readonly opts: ReaderOptions,
  ) {}

  /** Record an issue; `skipped` adds to stats.skipped (the number of samples it cost). */
  report(code: IssueCode, message: string, at: { key?: string; offset?: number } = {}, skipped = 1): DataIssue {
    const issue: DataIssue = { file: this.stats.file, code, reason: `${where(this.stats.file, at.key, at.offset)}: ${message}` };
    if (at.key !== undefined) issue.key = at.key;
    if (at.offset !== undefined) issue.offset = at.offset;
    this.stats.issueCounts[code] = (this.stats.issueCounts[code] ?? 0) + 1;
    this.stats.skipped += skipped;
    if (this.stats.issues.length < (this.opts.maxIssues ?? 100)) this.stats.issues.push(issue);
    this.opts.onIssue?.(issue);
    return issue;
  }
}

/**
 * Apply the class subset to a class index: the training label, or -1 when the class is dropped
 * (counted in stats.filtered). Counts kept samples per class.
 */
export function admit(stats: ShardStats, classes: ClassSubset | undefined, classIndex: number): number {
  const label = classes ? classes.labelOf[classIndex] : classIndex;
  if (label < 0) {
    stats.filtered++;
    return -1;
  }
  stats.perClass[classIndex]++;
  stats.samples++;
  return label;
}

/** A running shard reader: iterate `samples`; `stats` is live and final once iteration ends. */
export interface ShardRead {
  samples: AsyncGenerator<Sample, void, undefined>;
  stats: ShardStats;
}
