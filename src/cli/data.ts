// The CLI's --data: "synthetic" (the built-in dataset) or shard files / ImageFolder directories on
// disk, read with the same readers the browser uses. Every command that trains or evaluates opens
// its data here, so they all accept the same --data values.
//   --data PATH (repeatable): a shard file (tar, tar.gz, TFRecord, parquet; the content decides),
//     an ImageFolder directory (it has class subdirectories), or a directory of shard files.
//   --val-data PATH (repeatable): validation inputs; without it, --val-fraction (default 0.01) of
//     the training keys is held out by key hash.
import { stat } from 'node:fs/promises';
import type { DataIssue } from '../core/data/formats/shard.ts';
import { selectClasses, NUM_IMAGENET_CLASSES } from '../core/data/labels/labels.ts';
import { DEFAULT_AUGMENT } from '../core/data/pipeline/augment.ts';
import { fileInput, folderInput, type ShardInput } from '../core/data/pipeline/inputs.ts';
import { DEFAULT_PIPELINE, ShardPipelineSource } from '../core/data/pipeline/shardSource.ts';
import { syntheticSource, type BatchSource } from '../core/data/source.ts';
import { DEFAULT_SYNTHETIC, type SyntheticConfig } from '../core/data/synthetic.ts';
import { jsImageDecoder } from '../core/platform/jsDecoder.ts';
import { optEnum, optInt, optNumber, UsageError } from './args.ts';
import { folderEntries, hasSubdirectories, nodeFile, shardFiles } from './nodeFile.ts';

export interface CliDataOptions {
  /** The --data values: ["synthetic"] or paths. */
  data: string[];
  resolution: number;
  numClasses: number;
  seed: number;
  /** --val-data paths (validation inputs); when absent, a held-out fraction of the training keys. */
  valData?: string[];
  /** Held-out fraction when there is no --val-data (default 0.01). */
  valFraction?: number;
  /** Shuffle buffer in samples (default DEFAULT_PIPELINE.shuffleBuffer). */
  shuffleBuffer?: number;
  /** Training augmentation (default on: RandomResizedCrop, flip, colour jitter 0.4). */
  augment?: boolean;
  /** Synthetic generator settings other than seed / classes / resolution (default DEFAULT_SYNTHETIC). */
  synthetic?: Partial<Pick<SyntheticConfig, 'noise' | 'trainSize' | 'valSize' | 'planted' | 'plantedOnly'>>;
  /** --planted A: amplitude of the synthetic data's planted long-range pairing (overrides synthetic.planted; synthetic data only). */
  planted?: number;
  /** --planted-only: the planted pairing is the only class evidence (needs --planted A > 0). */
  plantedOnly?: boolean;
  /** Every data issue as it happens (default: one JSON line on stderr each). */
  onIssue?: (issue: DataIssue) => void;
}

/** parseArgs options for the data flags, shared by the commands that read data. */
export const DATA_OPTIONS = {
  data: { type: 'string', multiple: true },
  'val-data': { type: 'string', multiple: true },
  'val-fraction': { type: 'string' },
  'shuffle-buffer': { type: 'string' },
  augment: { type: 'string' },
  planted: { type: 'string' },
  'planted-only': { type: 'boolean' },
} as const;

/** The data flags of parsed arguments (undefined where not given). */
export function dataFlags(v: Record<string, unknown>): Pick<CliDataOptions, 'valData' | 'valFraction' | 'shuffleBuffer' | 'augment' | 'planted' | 'plantedOnly'> & { data?: string[] } {
  const list = (x: unknown): string[] | undefined => (x === undefined ? undefined : Array.isArray(x) ? x.map(String) : [String(x)]);
  const augment = optEnum(v, 'augment', ['on', 'off'] as const);
  return {
    data: list(v.data),
    valData: list(v['val-data']),
    valFraction: optNumber(v, 'val-fraction', (n) => n > 0 && n < 1, 'a number in (0, 1)'),
    shuffleBuffer: optInt(v, 'shuffle-buffer', 1),
    augment: augment === undefined ? undefined : augment === 'on',
    planted: optNumber(v, 'planted', (n) => n >= 0, 'a number >= 0'),
    plantedOnly: v['planted-only'] === true ? true : undefined,
  };
}

const printIssue = (issue: DataIssue): void => {
  process.stderr.write(`${JSON.stringify({ dataIssue: issue })}\n`);
};

async function inputsOf(paths: readonly string[], flag: string): Promise<ShardInput[]> {
  const out: ShardInput[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new UsageError(`--${flag} ${p}: no such file or directory`);
    }
    if (st.isFile()) out.push(fileInput(nodeFile(p, st.size)));
    else if (st.isDirectory()) {
      if (await hasSubdirectories(p)) out.push(folderInput(p, await folderEntries(p)));
      else {
        const files = await shardFiles(p);
        if (files.length === 0) throw new UsageError(`--${flag} ${p}: the directory holds no files`);
        out.push(...files.map(fileInput));
      }
    } else throw new UsageError(`--${flag} ${p}: not a file or directory`);
  }
  return out;
}

export async function openCliData(o: CliDataOptions): Promise<BatchSource> {
  if (o.data.length === 1 && o.data[0] === 'synthetic') {
    const planted = o.planted ?? o.synthetic?.planted;
    const plantedOnly = o.plantedOnly ?? o.synthetic?.plantedOnly;
    if (plantedOnly && !((planted ?? 0) > 0)) throw new UsageError('--planted-only needs --planted A with A > 0');
    return syntheticSource({ ...DEFAULT_SYNTHETIC, ...o.synthetic, ...(planted ? { planted } : {}), ...(plantedOnly ? { plantedOnly } : {}), seed: o.seed, numClasses: o.numClasses, resolution: o.resolution });
  }
  if (o.planted !== undefined || o.plantedOnly) throw new UsageError('--planted / --planted-only apply to --data synthetic only');
  if (o.data.includes('synthetic')) throw new UsageError('--data synthetic cannot be mixed with paths');
  if (!Number.isInteger(o.numClasses) || o.numClasses < 2 || o.numClasses > NUM_IMAGENET_CLASSES) throw new UsageError(`--classes must be 2..1000 for image data, got ${o.numClasses}`);
  const train = await inputsOf(o.data, 'data');
  const val = o.valData ? await inputsOf(o.valData, 'val-data') : [];
  return new ShardPipelineSource({ train, val }, jsImageDecoder, {
    ...DEFAULT_PIPELINE,
    resolution: o.resolution,
    seed: o.seed,
    // K classes train on the first K sorted synsets (labels 0..K-1); the other classes are dropped.
    classes: o.numClasses < NUM_IMAGENET_CLASSES ? selectClasses({ kind: 'first', count: o.numClasses }) : undefined,
    shuffleBuffer: o.shuffleBuffer ?? DEFAULT_PIPELINE.shuffleBuffer,
    augment: o.augment === false ? null : DEFAULT_AUGMENT,
    split: o.valData ? { kind: 'shards' } : { kind: 'fraction', fraction: o.valFraction ?? 0.01, splitSeed: 0 },
    // The Node decoder is synchronous: more in flight would only hold more encoded images.
    decodeConcurrency: 1,
    onIssue: o.onIssue ?? printIssue,
  });
}

/** The pipeline statistics of an image-data source as one JSON-able object (null for synthetic data). */
export function dataSummary(source: BatchSource): object | null {
  if (!(source instanceof ShardPipelineSource)) return null;
  const { perClass, issues, ...rest } = source.stats.snapshot();
  let classesSeen = 0;
  for (const n of perClass) if (n > 0) classesSeen++;
  return { ...rest, classesSeen, decodedPerSecond: Math.round(rest.decodedPerSecond * 10) / 10 };
}
