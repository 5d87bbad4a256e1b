// Statistics of a running pipeline: shards, bytes, samples per class, decode rate, skipped samples
// with their reasons. Reader statistics (ShardStats) are summed over every shard read (a shard read
// again in a later epoch counts again); decode failures are the pipeline's own issues.
import { NUM_IMAGENET_CLASSES } from '../labels/labels.ts';
import type { DataIssue, IssueCode, ShardStats } from '../formats/shard.ts';

export interface PipelineStatsSnapshot {
  /** Shard reads opened / finished (a shard re-read in a later epoch counts again). */
  shardsOpened: number;
  shardsDone: number;
  /** Container bytes consumed by the readers. */
  bytes: number;
  /** Samples the readers yielded (before the split and decoding). */
  samplesRead: number;
  /** Samples yielded per class index 0..999. */
  perClass: Uint32Array;
  /** Samples dropped by the class subset. */
  filtered: number;
  /** Samples dropped by the held-out split (on the train side: the held-out ones, and vice versa). */
  splitDropped: number;
  /** Images decoded into batches, and those that failed to decode. */
  decoded: number;
  decodeFailed: number;
  /** Wall seconds spent waiting for decodes (concurrent decodes overlap) and the rate over them. */
  decodeSeconds: number;
  decodedPerSecond: number;
  /** Samples skipped for any issue (reader issues + undecodable images), and counts by code. */
  skipped: number;
  issueCounts: Partial<Record<IssueCode, number>>;
  /** The first `maxIssues` distinct issues in full. */
  issues: DataIssue[];
  /** Most encoded samples held at once between the readers and the decoder (memory instrumentation). */
  peakSamplesHeld: number;
  /** Training passes started (1 during the first). */
  epoch: number;
}

export class PipelineStats {
  private readonly finished: ShardStats[] = [];
  private readonly live = new Set<ShardStats>();
  private shardsOpened = 0;
  private splitDropped = 0;
  private decoded = 0;
  private decodeFailed = 0;
  private decodeMs = 0;
  private readonly issues: DataIssue[] = [];
  private readonly ownCounts: Partial<Record<IssueCode, number>> = {};
  private readonly seen = new Set<string>();
  private held = 0;
  private peakHeld = 0;
  epoch = 0;
  /** Training samples the first pass yielded (after the split), once it has been read whole. */
  firstPassSamples: number | null = null;
  /** Finished reads are folded into these totals (so memory does not grow with epochs). */
  private readonly total = { bytes: 0, samples: 0, filtered: 0, skipped: 0, perClass: new Uint32Array(NUM_IMAGENET_CLASSES), counts: {} as Partial<Record<IssueCode, number>> };

  constructor(
    private readonly maxIssues = 100,
    private readonly onIssue?: (issue: DataIssue) => void,
  ) {}

  /**
   * Every issue, from the readers and from decoding. Counted every time (a bad sample read in
   * every pass costs a sample every pass); kept and forwarded to onIssue once per distinct message.
   */
  issue(issue: DataIssue): void {
    if (this.seen.has(issue.reason)) return;
    this.seen.add(issue.reason);
    if (this.issues.length < this.maxIssues) this.issues.push(issue);
    this.onIssue?.(issue);
  }

  shardOpened(s: ShardStats): void {
    this.shardsOpened++;
    this.live.add(s);
  }

  shardClosed(s: ShardStats): void {
    if (!this.live.delete(s)) return;
    this.total.bytes += s.bytes;
    this.total.samples += s.samples;
    this.total.filtered += s.filtered;
    this.total.skipped += s.skipped;
    for (let i = 0; i < NUM_IMAGENET_CLASSES; i++) this.total.perClass[i] += s.perClass[i];
    for (const [k, v] of Object.entries(s.issueCounts)) this.total.counts[k as IssueCode] = (this.total.counts[k as IssueCode] ?? 0) + (v ?? 0);
    this.finished.push(s);
    if (this.finished.length > 64) this.finished.shift();
  }

  splitDrop(): void {
    this.splitDropped++;
  }

  sampleIn(): void {
    this.held++;
    if (this.held > this.peakHeld) this.peakHeld = this.held;
  }

  sampleOut(n = 1): void {
    this.held -= n;
  }

  decodeDone(ok: number, failed: number, ms: number): void {
    this.decoded += ok;
    this.decodeFailed += failed;
    this.decodeMs += ms;
  }

  decodeIssue(issue: DataIssue): void {
    this.ownCounts[issue.code] = (this.ownCounts[issue.code] ?? 0) + 1;
    this.issue(issue);
  }

  /** The last finished shard reads (up to 64), for a per-shard table. */
  recentShards(): readonly ShardStats[] {
    return [...this.finished, ...this.live];
  }

  snapshot(): PipelineStatsSnapshot {
    const perClass = this.total.perClass.slice();
    let { bytes, samples, filtered, skipped } = this.total;
    const issueCounts: Partial<Record<IssueCode, number>> = { ...this.total.counts };
    const add = (c: Partial<Record<IssueCode, number>>) => {
      for (const [k, v] of Object.entries(c)) issueCounts[k as IssueCode] = (issueCounts[k as IssueCode] ?? 0) + (v ?? 0);
    };
    for (const s of this.live) {
      bytes += s.bytes;
      samples += s.samples;
      filtered += s.filtered;
      skipped += s.skipped;
      for (let i = 0; i < NUM_IMAGENET_CLASSES; i++) perClass[i] += s.perClass[i];
      add(s.issueCounts);
    }
    add(this.ownCounts);
    const decodeSeconds = this.decodeMs / 1000;
    return {
      shardsOpened: this.shardsOpened,
      shardsDone: this.shardsOpened - this.live.size,
      bytes,
      samplesRead: samples,
      perClass,
      filtered,
      splitDropped: this.splitDropped,
      decoded: this.decoded,
      decodeFailed: this.decodeFailed,
      decodeSeconds,
      decodedPerSecond: decodeSeconds > 0 ? this.decoded / decodeSeconds : 0,
      skipped: skipped + this.decodeFailed,
      issueCounts,
      issues: [...this.issues],
      peakSamplesHeld: this.peakHeld,
      epoch: this.epoch,
    };
  }
}
