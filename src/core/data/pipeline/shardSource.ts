// The shard pipeline as a BatchSource: sample streams (stream.ts) -> decode through an
// ImageDecoder with the crop chosen here (RandomResizedCrop for training, centre crop for
// validation) -> flip / colour jitter / normalisation -> NHWC float32 batches. Training batches are
// prefetched (`prefetchBatches` built ahead, so decoding overlaps the training step); an image that
// does not decode becomes an `undecodable-image` DataIssue naming file and key, the sample is
// skipped and the batch is filled from the next samples.
import { deriveRng } from '../../rng.ts';
import type { ImageDecoder } from '../images/decode.ts';
import type { ClassSubset } from '../labels/labels.ts';
import type { DataIssue, Sample } from '../formats/shard.ts';
import type { Batch, BatchSource } from '../source.ts';
import { centreCrop, drawPixelAugment, finishImage, randomResizedCrop, VAL_CROP_FRACTION, type AugmentConfig, type PixelAugment } from './augment.ts';
import type { ShardInput } from './inputs.ts';
import { PipelineStats } from './stats.ts';
import { trainStream, valStream, type PassSample, type SplitConfig } from './stream.ts';
import { errorMessage } from '../../errors.ts';

export interface PipelineConfig {
  /** Output side in pixels (square). */
  resolution: number;
  /** Seeds the shard order, the shuffle buffer and every augmentation draw. */
  seed: number;
  /** Training labels: the class subset (labels 0..K-1), or all 1000 classes. */
  classes?: ClassSubset;
  /** Shuffle buffer capacity in samples (encoded images; ~110 KB each for ImageNet). */
  shuffleBuffer: number;
  /** Shards read at once, round robin. */
  interleave: number;
  /** Training batches built ahead of the one being trained on. */
  prefetchBatches: number;
  /** Images decoded concurrently (createImageBitmap runs off the thread; the Node decoder is synchronous). */
  decodeConcurrency: number;
  /** 'shards': the val inputs are the validation set; 'fraction': held out from the train inputs by key hash. */
  split: SplitConfig;
  /** Training augmentation; null = train on centre crops as validation does. */
  augment: AugmentConfig | null;
  /** Validation crop: the centred square of this fraction of the shorter side (224/256). */
  valCropFraction: number;
  /** Validation stops after this many samples (a fraction split re-reads the train inputs). */
  maxValSamples: number;
  /** Training samples per pass until the first pass has been read (then the count read, before decoding). */
  trainSizeHint: number;
  /** Issues kept in full in the statistics (all are counted). */
  maxIssues: number;
  /** Every issue as it happens (the CLI prints them as JSON lines). */
  onIssue?: (issue: DataIssue) => void;
  maxRecordBytes?: number;
}

export const DEFAULT_PIPELINE: Omit<PipelineConfig, 'resolution' | 'seed'> = {
  shuffleBuffer: 256, // ~28 MB of ImageNet JPEGs; mixes the interleaved shards' samples
  interleave: 4, // webdataset-style: a few shards open at once
  prefetchBatches: 2, // one batch decoding while one waits: enough to hide decode behind a step
  decodeConcurrency: 8,
  split: { kind: 'shards' },
  augment: null, // set to DEFAULT_AUGMENT for ImageNet-style training
  valCropFraction: VAL_CROP_FRACTION,
  maxValSamples: 10_000,
  trainSizeHint: 1_281_167, // ImageNet-1k train
  maxIssues: 100,
};

export interface ShardSourceInputs {
  train: readonly ShardInput[];
  val: readonly ShardInput[];
}

const CHANNELS = 3;

export class ShardPipelineSource implements BatchSource {
  readonly name: string;
  readonly numClasses: number;
  readonly resolution: number;
  readonly stats: PipelineStats;
  private trainIt: AsyncGenerator<PassSample, void, undefined> | null = null;
  private valIt: AsyncGenerator<PassSample, void, undefined> | null = null;
  private valNext = 0;
  private queue: Promise<Batch>[] = [];
  private queueBatchSize = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private lastOkPass = 0;

  constructor(
    private readonly inputs: ShardSourceInputs,
    private readonly decoder: ImageDecoder,
    private readonly cfg: PipelineConfig,
  ) {
    if (!Number.isInteger(cfg.resolution) || cfg.resolution < 1) throw new Error(`pipeline: resolution must be an integer >= 1, got ${cfg.resolution}`);
    if (!Number.isInteger(cfg.prefetchBatches) || cfg.prefetchBatches < 0) throw new Error(`pipeline: prefetchBatches must be an integer >= 0, got ${cfg.prefetchBatches}`);
    if (!Number.isInteger(cfg.interleave) || cfg.interleave < 1) throw new Error(`pipeline: interleave must be an integer >= 1, got ${cfg.interleave}`);
    if (cfg.split.kind === 'fraction' && !(cfg.split.fraction > 0 && cfg.split.fraction < 1)) throw new Error(`pipeline: the held-out fraction must be in (0, 1), got ${cfg.split.fraction}`);
    this.resolution = cfg.resolution;
    this.numClasses = cfg.classes?.numClasses ?? 1000;
    this.stats = new PipelineStats(cfg.maxIssues, cfg.onIssue);
    const n = (xs: readonly ShardInput[]) => `${xs.length} input${xs.length === 1 ? '' : 's'}`;
    this.name = `shards: ${n(inputs.train)} train${cfg.split.kind === 'fraction' ? ` (${cfg.split.fraction} held out)` : `, ${n(inputs.val)} val`}`;
  }

  get trainSize(): number {
    return this.stats.firstPassSamples ?? this.cfg.trainSizeHint;
  }

  private streamCfg() {
    return { seed: this.cfg.seed, classes: this.cfg.classes, interleave: this.cfg.interleave, shuffleBuffer: this.cfg.shuffleBuffer, split: this.cfg.split, maxRecordBytes: this.cfg.maxRecordBytes };
  }

  /** Decode one sample into slot `slot` of `images`; false (and an issue) when it does not decode. */
  private async decodeInto(ps: PassSample, train: boolean, images: Float32Array, slot: number): Promise<boolean> {
    const { sample, pass } = ps;
    const R = this.resolution;
    const aug = train ? this.cfg.augment : null;
    const cropRng = deriveRng(this.cfg.seed, 'crop', pass, sample.file, sample.key);
    const pixel: PixelAugment | null = aug ? drawPixelAugment(aug, deriveRng(this.cfg.seed, 'pixel', pass, sample.file, sample.key)) : null;
    const chooseCrop = aug ? (w: number, h: number) => randomResizedCrop(w, h, cropRng, aug.scale, aug.ratio) : (w: number, h: number) => centreCrop(w, h, this.cfg.valCropFraction);
    try {
      const img = await this.decoder.decode(sample.image, sample.imageExt, chooseCrop, R, R);
      if (img.width !== R || img.height !== R || img.data.length !== R * R * 4) throw new Error(`the decoder returned ${img.width}x${img.height} (${img.data.length} bytes), not ${R}x${R} RGBA`);
      finishImage(img, pixel, images, slot * R * R * CHANNELS);
      return true;
    } catch (e) {
      this.reportUndecodable(sample, e);
      return false;
    }
  }

  private reportUndecodable(s: Sample, e: unknown): void {
    const why = errorMessage(e);
    // The key names the sample in every format (Sample.offset is a row / file index for parquet and ImageFolder, so it is not quoted).
    this.stats.decodeIssue({ file: s.file, code: 'undecodable-image', key: s.key, reason: `${s.file}, sample "${s.key}": the image cannot be decoded (${this.decoder.name}): ${why}` });
  }

  /**
   * Fill a batch of up to `size` images from `it`: samples are pulled and decoded `decodeConcurrency`
   * at a time; failures are replaced by the next samples. Returns null when `it` ended before any
   * image; a shorter batch when it ended part-way.
   */
  private async fill(it: AsyncIterator<PassSample>, size: number, train: boolean): Promise<Batch | null> {
    const R = this.resolution;
    const images = new Float32Array(size * R * R * CHANNELS);
    const labels = new Int32Array(size);
    let filled = 0;
    let ended = false;
    while (filled < size && !ended) {
      const want = Math.min(size - filled, Math.max(1, this.cfg.decodeConcurrency));
      const pulled: PassSample[] = [];
      while (pulled.length < want) {
        const r = await it.next();
        if (r.done) {
          ended = true;
          break;
        }
        pulled.push(r.value);
      }
      const t0 = performance.now();
      const ok = await Promise.all(pulled.map((ps, k) => this.decodeInto(ps, train, images, filled + k)));
      const ms = performance.now() - t0;
      this.stats.sampleOut(pulled.length);
      // Compact: successful images move down over failed slots (in order).
      let okCount = 0;
      for (let k = 0; k < pulled.length; k++) {
        if (!ok[k]) continue;
        const from = (filled + k) * R * R * CHANNELS;
        const to = (filled + okCount) * R * R * CHANNELS;
        if (from !== to) images.copyWithin(to, from, from + R * R * CHANNELS);
        labels[filled + okCount] = pulled[k].sample.label;
        okCount++;
        if (train) this.lastOkPass = pulled[k].pass;
      }
      this.stats.decodeDone(okCount, pulled.length - okCount, ms);
      filled += okCount;
      if (train && okCount === 0 && pulled.length > 0 && pulled[pulled.length - 1].pass - this.lastOkPass >= 2) {
        throw new Error('pipeline: no training image decoded in a whole pass (see the undecodable-image issues)');
      }
    }
    if (filled === 0) return null;
    if (filled < size) return { images: images.slice(0, filled * R * R * CHANNELS), labels: labels.slice(0, filled), size: filled, resolution: R };
    return { images, labels, size, resolution: R };
  }

  private buildTrain(size: number): Promise<Batch> {
    const p = this.chain.then(async () => {
      if (this.disposed) throw new Error('pipeline: the source is disposed');
      this.trainIt ??= trainStream(this.inputs.train, this.streamCfg(), this.stats);
      const b = await this.fill(this.trainIt, size, true);
      if (!b) throw new Error('pipeline: the training stream ended'); // unreachable: passes repeat or throw
      return b;
    });
    this.chain = p.catch(() => undefined);
    p.catch(() => undefined); // a queued batch nobody awaits (after dispose) must not be an unhandled rejection
    return p;
  }

  /** The next training batch (`step` is ignored: a stream). Batches are prefetched; changing batchSize drops the prefetched ones. */
  trainBatch(_step: number, batchSize: number): Promise<Batch> {
    if (batchSize !== this.queueBatchSize) {
      this.queue = [];
      this.queueBatchSize = batchSize;
    }
    if (this.queue.length === 0) this.queue.push(this.buildTrain(batchSize));
    const next = this.queue.shift()!;
    while (this.queue.length < this.cfg.prefetchBatches) this.queue.push(this.buildTrain(batchSize));
    return next;
  }

  /**
   * Validation batch `index`: deterministic (centre crop, fixed order). Sequential indices 0, 1, ...
   * continue one stream; any other index re-reads from the start. Null once the split is exhausted.
   */
  async valBatch(index: number, batchSize: number): Promise<Batch | null> {
    if (this.disposed) throw new Error('pipeline: the source is disposed');
    if (index === 0 || index !== this.valNext || !this.valIt) {
      await this.valIt?.return();
      this.valIt = valStream(this.inputs.train, this.inputs.val, this.streamCfg(), this.stats, this.cfg.maxValSamples);
      for (let i = 0; i < index; i++) {
        if (!(await this.fill(this.valIt, batchSize, false))) {
          this.valNext = index + 1;
          return null;
        }
      }
    }
    this.valNext = index + 1;
    return this.fill(this.valIt, batchSize, false);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.queue = [];
    await this.chain;
    await Promise.all([this.trainIt?.return(), this.valIt?.return()]);
    this.trainIt = null;
    this.valIt = null;
  }
}
