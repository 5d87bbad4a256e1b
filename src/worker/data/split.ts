// The train / validation split of loaded files, as the CLI does it (src/cli/data.ts): files whose
// path marks them as validation (src/core/data/pipeline/splitFiles.ts) are the validation set; when there
// are none, a held-out fraction of every file's samples by key hash (default 0.01, split seed 0);
// fraction 0: no validation data. When every file is marked as validation there is nothing left
// to train on, so the marks are ignored (and the summary says so).
import type { FileLike } from '../../core/data/open/fileLike.ts';
import type { ShardSourceInputs } from '../../core/data/pipeline/shardSource.ts';
import type { SplitConfig } from '../../core/data/pipeline/stream.ts';
import { splitFiles } from '../../core/data/pipeline/splitFiles.ts';
import { dataInputs, isImageFile } from './inputs.ts';
import type { DataSplit } from '../protocol/index.ts';

/** The held-out fraction when no file is validation and the load names none (the CLI's default). */
export const DEFAULT_VAL_FRACTION = 0.01;
/** Validation paths listed in a summary. */
const SHOWN = 20;

/** The load's fraction, checked (a clear error otherwise). */
export function valFractionOf(given: number | undefined): number {
  if (given === undefined) return DEFAULT_VAL_FRACTION;
  if (typeof given !== 'number' || !(given >= 0 && given < 1)) throw new Error(`the held-out fraction must be a number in [0, 1), got ${String(given)}`);
  return given;
}

const heldOut = (fraction: number, note?: string): DataSplit => {
  const split: DataSplit = fraction === 0 ? { kind: 'none' } : { kind: 'fraction', fraction };
  if (note !== undefined) split.note = note;
  return split;
};

/** The split of `files` (named by relative path) for a held-out fraction `valFraction`. */
export function chooseSplit(files: readonly FileLike[], valFraction: number): DataSplit {
  const { train, val } = splitFiles(files, (f) => f.name);
  if (val.length === 0) return heldOut(valFraction);
  if (train.length === 0) return heldOut(valFraction, `every file is named as validation data (${val[0].name}, ...): all are read as training data`);
  const sorted = val.map((f) => f.name).sort();
  return { kind: 'files', valFiles: val.length, valBytes: val.reduce((n, f) => n + f.size, 0), trainFiles: train.length, shown: sorted.slice(0, SHOWN) };
}

/** The pipeline's inputs and split config for `files` split as `split` says. */
export function splitInputs(files: readonly FileLike[], split: DataSplit): { inputs: ShardSourceInputs; split: SplitConfig } {
  switch (split.kind) {
    case 'files': {
      const { train, val } = splitFiles(files, (f) => f.name);
      // both sides' images label their classes by the directories of all the images
      const classPaths = files.map((f) => f.name).filter(isImageFile);
      const inputs = (fs: FileLike[]) => dataInputs(fs, classPaths).map((c) => c.input);
      return { inputs: { train: inputs(train), val: inputs(val) }, split: { kind: 'shards' } };
    }
    case 'fraction':
      return { inputs: { train: dataInputs(files).map((c) => c.input), val: [] }, split: { kind: 'fraction', fraction: split.fraction, splitSeed: 0 } };
    case 'none':
      return { inputs: { train: dataInputs(files).map((c) => c.input), val: [] }, split: { kind: 'shards' } };
    default: {
      const unreachable: never = split;
      throw new Error(`unknown split ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Training samples of a scan's `samples`, estimated for the split (by bytes for a file split). */
export function trainSamplesOf(samples: number, bytes: number, split: DataSplit): number {
  switch (split.kind) {
    case 'files':
      return Math.max(1, Math.round((samples * Math.max(0, bytes - split.valBytes)) / Math.max(1, bytes)));
    case 'fraction':
      return Math.max(1, Math.round(samples * (1 - split.fraction)));
    case 'none':
      return Math.max(1, samples);
    default: {
      const unreachable: never = split;
      throw new Error(`unknown split ${JSON.stringify(unreachable)}`);
    }
  }
}
