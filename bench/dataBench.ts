// The data benchmark's run (`npm run -s bench -- --data-bench`), the same in Node and in the
// browser worker: parse MB/s per format (bench/parseBench.ts), decoded images/s at the default
// config's resolution and at 64, 128 and 224 px (bench/decodeBench.ts: decode + RandomResizedCrop +
// train augmentation), the default config's training rate on the active backend
// (bench/trainRate.ts) and the "never starves training" ratio. The caller brings what differs per
// platform: where shard files live, the image decoder and its JPEGs. No Node APIs.
import type { TrainRecipe } from '../src/core/train/recipe.ts';
import type { ImageDecoder } from '../src/core/data/images/decode.ts';
import { measureDecodeThroughput } from '../src/core/data/pipeline/throughput.ts';
import { DECODE_IMAGES } from './decodeBench.ts';
import { starveChecks, type DataBenchCore, type DecodeAt, type TrainFigure } from './dataReport.ts';
import { runParseBench, type FileMaker, type ParseShardSpec } from './parseBench.ts';
import { measureTrainRate } from './trainRate.ts';

/** The decode resolutions (the default config's own is measured too). */
export const DATA_BENCH_RESOLUTIONS = [64, 128, 224];

/** What a data-bench run does (plain data: it travels to the browser worker in the query string). */
export interface DataBenchParams {
  shard: ParseShardSpec;
  /** Images decoded per resolution (at least; whole rounds of the decoder's concurrency). */
  decodeImages: number;
  /** And decode for at least this long per resolution (ms), so fast decoders are timed over many images. */
  decodeMs: number;
  /** Timed training rounds (after one warm-up round); 0 = no training measurement. */
  trainSteps: number;
  /** A training rate (images/s) to hold the decode rate against instead of measuring one. */
  trainImagesPerSecond: number | null;
  /** Skip the parse part (decode and training only). */
  skipParse: boolean;
}

export interface DataBenchDeps {
  /** The default config's recipe (its resolution, batch and supernet). */
  recipe: TrainRecipe;
  files: FileMaker;
  decoder: ImageDecoder;
  jpegs: () => Promise<Uint8Array[]>;
  onProgress?: (line: string) => void;
}

/** Resolutions to decode at: the default config's first, then the issue's, without repeats. */
export function decodeResolutions(defaultResolution: number): number[] {
  return [...new Set([defaultResolution, ...DATA_BENCH_RESOLUTIONS])];
}

/** Decoded images/s at one resolution (decode + RandomResizedCrop + train augmentation, 8 in flight). */
async function decodeAt(decoder: ImageDecoder, jpegs: readonly Uint8Array[], resolution: number, minImages: number, minMs: number): Promise<DecodeAt> {
  const r = await measureDecodeThroughput(decoder, jpegs.map((bytes) => ({ bytes, ext: 'jpg' })), { resolution, minImages, minMs });
  if (r.failed > 0) throw new Error(`${r.failed} of ${r.failed + r.images} generated JPEGs failed to decode with ${r.decoder}`);
  const what = `${r.decoder} (${DECODE_IMAGES.width}x${DECODE_IMAGES.height} JPEG -> ${resolution} px, train augmentation)`;
  return { resolution, decoder: what, images: r.images, ms: r.seconds * 1000, imagesPerSecond: r.imagesPerSecond };
}

export async function runDataBench(p: DataBenchParams, d: DataBenchDeps): Promise<DataBenchCore> {
  const log = d.onProgress ?? (() => undefined);
  const parse = p.skipParse ? [] : await runParseBench(p.shard, d.files, undefined, log);
  const jpegs = await d.jpegs();
  const decode: DecodeAt[] = [];
  const resolutions = decodeResolutions(d.recipe.config.resolution);
  await decodeAt(d.decoder, jpegs, resolutions[0], jpegs.length, 0); // untimed warm-up (JIT, decoder set-up)
  for (const resolution of resolutions) {
    const t = await decodeAt(d.decoder, jpegs, resolution, p.decodeImages, p.decodeMs);
    decode.push(t);
    log(`decode ${resolution} px: ${t.imagesPerSecond.toFixed(1)} img/s`);
  }
  let training: TrainFigure = null;
  if (p.trainImagesPerSecond !== null) training = { source: 'given', imagesPerSecond: p.trainImagesPerSecond };
  else if (p.trainSteps > 0) training = await measureTrainRate(d.recipe, p.trainSteps, 1, log);
  const atDefault = decode.find((x) => x.resolution === d.recipe.config.resolution);
  return { parse, decode, training, starve: starveChecks(atDefault, training) };
}
