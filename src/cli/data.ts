// The CLI's --data: "synthetic" (the built-in dataset) or shard files / ImageFolder directories on
// disk, read with the same readers the browser uses. Every command that trains or evaluates opens
// its data here, so they all accept the same --data values.
import { syntheticSource, type BatchSource } from '../core/data/source.ts';
import { DEFAULT_SYNTHETIC } from '../core/data/synthetic.ts';
import { UsageError } from './args.ts';

export interface CliDataOptions {
  /** The --data values: ["synthetic"] or paths. */
  data: string[];
  resolution: number;
  numClasses: number;
  seed: number;
}

export async function openCliData(o: CliDataOptions): Promise<BatchSource> {
  if (o.data.length === 1 && o.data[0] === 'synthetic') {
    return syntheticSource({ ...DEFAULT_SYNTHETIC, seed: o.seed, numClasses: o.numClasses, resolution: o.resolution });
  }
  throw new UsageError(`--data ${o.data.join(' ')}: only "synthetic" is supported by this build`);
}
