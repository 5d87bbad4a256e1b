// The sample streams of the pipeline, before decoding.
//   train: pass after pass over the train inputs: pass p reads the inputs in a seeded order
//          (deriveRng(seed, 'shards', p)), `interleave` at a time round robin, drops held-out keys
//          (fraction split), and goes through a bounded shuffle buffer (deriveRng(seed, 'shuffle',
//          p)) that is drained at the end of the pass, so a pass holds every sample once (a data
//          set smaller than the buffer is fully shuffled each pass).
//   val:   the val inputs (or, for a fraction split, the train inputs keeping only held-out keys),
//          one at a time in the order given, no shuffling: the same samples in the same order
//          every time.
import { deriveRng } from '../../rng.ts';
import type { ClassSubset } from '../labels/labels.ts';
import type { Sample } from '../formats/shard.ts';
import type { ShardInput } from './inputs.ts';
import { interleave } from './interleave.ts';
import { shuffled } from './shuffle.ts';
import { isHeldOut } from './split.ts';
import type { PipelineStats } from './stats.ts';

export type SplitConfig = { kind: 'shards' } | { kind: 'fraction'; fraction: number; splitSeed: number };

export interface StreamConfig {
  seed: number;
  classes?: ClassSubset;
  /** Shards read at once (round robin). */
  interleave: number;
  /** Shuffle buffer capacity in samples (1 = off). */
  shuffleBuffer: number;
  split: SplitConfig;
  /** Largest member / record a reader loads (ReaderOptions.maxRecordBytes). */
  maxRecordBytes?: number;
}

export interface PassSample {
  sample: Sample;
  /** 0-based pass (epoch) the sample was read in. */
  pass: number;
}

function readerOpts(name: string, cfg: StreamConfig, stats: PipelineStats) {
  return { file: name, classes: cfg.classes, onIssue: (i: Parameters<PipelineStats['issue']>[0]) => stats.issue(i), maxRecordBytes: cfg.maxRecordBytes };
}

/** One input's samples, with its ShardStats registered while it is read. */
async function* readInput(input: ShardInput, cfg: StreamConfig, stats: PipelineStats, passSeed: number | undefined): AsyncGenerator<Sample, void, undefined> {
  const read = await input.open(readerOpts(input.name, cfg, stats), passSeed);
  stats.shardOpened(read.stats);
  try {
    yield* read.samples;
  } finally {
    stats.shardClosed(read.stats);
  }
}

function keep(s: Sample, cfg: StreamConfig, wantHeldOut: boolean, stats: PipelineStats): boolean {
  if (cfg.split.kind !== 'fraction') return true;
  const held = isHeldOut(s.key, cfg.split.fraction, cfg.split.splitSeed);
  if (held !== wantHeldOut) stats.splitDrop();
  return held === wantHeldOut;
}

/** The training samples, pass after pass; throws when a whole pass yields none. */
async function* trainPasses(inputs: readonly ShardInput[], cfg: StreamConfig, stats: PipelineStats): AsyncGenerator<PassSample, void, undefined> {
  for (let pass = 0; ; pass++) {
    stats.epoch = pass + 1;
    const order = deriveRng(cfg.seed, 'shards', pass).permutation(inputs.length);
    const passSeed = deriveRng(cfg.seed, 'pass', pass).nextUint32();
    let n = 0;
    const samples = interleave(inputs.length, cfg.interleave, (i) => Promise.resolve(readInput(inputs[order[i]], cfg, stats, passSeed)));
    async function* kept(): AsyncGenerator<PassSample, void, undefined> {
      for await (const sample of samples) {
        if (!keep(sample, cfg, false, stats)) continue;
        n++;
        stats.sampleIn();
        yield { sample, pass };
      }
    }
    yield* shuffled(kept(), cfg.shuffleBuffer, deriveRng(cfg.seed, 'shuffle', pass));
    stats.firstPassSamples ??= n;
    if (n === 0) throw new Error(`no training samples in a whole pass over ${inputs.length} input(s) (see the data issues)`);
  }
}

export function trainStream(inputs: readonly ShardInput[], cfg: StreamConfig, stats: PipelineStats): AsyncGenerator<PassSample, void, undefined> {
  if (inputs.length === 0) throw new Error('no training inputs');
  return trainPasses(inputs, cfg, stats);
}

/** The validation samples, in a fixed order; ends after `maxSamples` (if given). */
export async function* valStream(trainInputs: readonly ShardInput[], valInputs: readonly ShardInput[], cfg: StreamConfig, stats: PipelineStats, maxSamples = Infinity): AsyncGenerator<PassSample, void, undefined> {
  const fromTrain = cfg.split.kind === 'fraction';
  const inputs = fromTrain ? trainInputs : valInputs;
  let n = 0;
  for (const input of inputs) {
    for await (const sample of readInput(input, cfg, stats, undefined)) {
      if (fromTrain && !keep(sample, cfg, true, stats)) continue;
      if (n >= maxSamples) return;
      n++;
      stats.sampleIn();
      yield { sample, pass: 0 };
    }
  }
}
