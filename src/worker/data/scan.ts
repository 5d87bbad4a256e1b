// The loading pass of `loadData`: every file is read once (shards through readFileShard, loose
// images as one ImageFolder; see dataRead.ts), every image decoded once at a
// small size to find the undecodable ones, and what was found streamed as it happens: progress
// (files, bytes, samples, per-class counts, decode rate), issues, and a few decoded thumbnails.
// The result says which classes the data has and which samples to skip when training on it.
// Pure TypeScript over FileLike and ImageDecoder, so Node tests drive it with fake decoders.
import type { CropRect, ImageDecoder } from '../../core/data/images/decode.ts';
import type { FileLike } from '../../core/data/open/fileLike.ts';
import { NUM_IMAGENET_CLASSES } from '../../core/data/labels/labels.ts';
import type { FolderRead } from '../../core/data/formats/imageFolder.ts';
import type { DataIssue, Sample, ShardRead } from '../../core/data/formats/shard.ts';
import { centreCrop } from '../../core/data/pipeline/augment.ts';
import { dataInputs } from './inputs.ts';
import type { DataProgressEvent } from '../protocol/index.ts';
import { errorMessage } from '../../core/errors.ts';

/** Progress of a scan (the protocol's dataProgress without type and id). */
export type ScanProgress = Omit<DataProgressEvent, 'type' | 'id'>;

export interface Thumbnail {
  file: string;
  key: string;
  classIndex: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export interface ScanOptions {
  decoder: ImageDecoder;
  onProgress: (p: ScanProgress) => void;
  onIssue: (issue: DataIssue) => void;
  /** Called once, with the first `thumbCount` decoded samples (or fewer at the end). */
  onThumbnails: (thumbs: Thumbnail[]) => void;
  /** Polled between samples; true stops the scan. */
  cancelled: () => boolean;
  now?: () => number;
  /** Smallest gap between two progress calls (one more always comes at the end). Default 200. */
  progressEveryMs?: number;
  /** Thumbnails to collect (default 16) and their side in pixels (default 64). */
  thumbCount?: number;
  thumbSize?: number;
  /** Side of the check decode of the other samples (default 8: decoding dominates, not resizing). */
  checkSize?: number;
  /** Decodes in flight at once (default 4; createImageBitmap decodes off the worker thread). */
  concurrency?: number;
}

export interface ScanResult {
  /** The files as given. */
  files: FileLike[];
  /** ImageFolder read by directory names (not synsets): the name of each class index 0..K-1. */
  folderClassNames: string[] | null;
  /** Some good sample named its synset (or a folder of synset directories was read). */
  synsetLabels: boolean;
  bytes: number;
  /** Samples with a label and a decodable image. */
  samples: number;
  skipped: number;
  issues: number;
  /** Good samples per class index 0..999. */
  perClass: Uint32Array;
  /** `badKey(file, key)` of every sample whose image failed to decode. */
  undecodable: Set<string>;
  decoded: number;
  decodePerSec: number;
  cancelled: boolean;
}

export const badKey = (file: string, key: string): string => `${file}\u0000${key}`;

/** The central square of a width x height image (the crop of the thumbnails and check decodes). */
export const centreSquare = (width: number, height: number): CropRect => centreCrop(width, height, 1);

/** Counts the bytes a file gives out through slice(), at most its size (a format sniff re-reads the head). */
function counted(file: FileLike, add: (n: number) => void): FileLike {
  let given = 0;
  return {
    name: file.name,
    size: file.size,
    slice: async (start, end) => {
      const buf = await file.slice(start, end);
      const n = Math.min(buf.byteLength, file.size - given);
      given += n;
      add(n);
      return buf;
    },
  };
}

export async function scanFiles(input: readonly FileLike[], o: ScanOptions): Promise<ScanResult> {
  const now = o.now ?? (() => performance.now());
  const everyMs = o.progressEveryMs ?? 200;
  const thumbCount = o.thumbCount ?? 16;
  const thumbSize = o.thumbSize ?? 64;
  const checkSize = o.checkSize ?? 8;
  const concurrency = o.concurrency ?? 4;
  let bytesRead = 0;
  const files = [...input];
  const units = dataInputs(files.map((f) => counted(f, (n) => (bytesRead += n))));
  let folderClassNames: string[] | null = null;
  let synsetLabels = false;
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  const filesTotal = files.length;
  const perClass = new Uint32Array(NUM_IMAGENET_CLASSES);
  const undecodable = new Set<string>();
  const thumbs: Thumbnail[] = [];
  let thumbsSent = false;
  let [samples, skipped, issues, decoded, filesDone] = [0, 0, 0, 0, 0];
  /** Samples the current file's reader skipped so far (added to `skipped` when the file ends). */
  let readerSkipped = (): number => 0;
  let currentFile: string | null = null;
  const t0 = now();
  let lastProgress = -Infinity;

  const progress = (force: boolean): void => {
    const t = now();
    if (!force && t - lastProgress < everyMs) return;
    lastProgress = t;
    const sec = (t - t0) / 1000;
    o.onProgress({
      filesDone, filesTotal, currentFile, bytesRead, bytesTotal, samples, skipped: skipped + readerSkipped(),
      perClass: perClass.slice(), decoded, decodePerSec: sec > 0 ? decoded / sec : 0, folderClassNames, synsetLabels,
    });
  };
  const issue = (i: DataIssue): void => {
    issues++;
    o.onIssue(i);
  };
  const sendThumbs = (): void => {
    if (thumbsSent) return;
    thumbsSent = true;
    o.onThumbnails(thumbs.splice(0));
  };

  /** Decodes one sample: counts it as good, or reports it as undecodable. */
  const check = async (s: Sample): Promise<void> => {
    const wantThumb = !thumbsSent && thumbs.length < thumbCount;
    const side = wantThumb ? thumbSize : checkSize;
    try {
      const img = await o.decoder.decode(s.image, s.imageExt, centreSquare, side, side);
      decoded++;
      samples++;
      perClass[s.classIndex]++;
      if (s.synset !== undefined) synsetLabels = true;
      if (wantThumb && !thumbsSent && thumbs.length < thumbCount) {
        thumbs.push({ file: s.file, key: s.key, classIndex: s.classIndex, width: img.width, height: img.height, rgba: img.data });
        if (thumbs.length === thumbCount) sendThumbs();
      }
    } catch (err) {
      skipped++;
      undecodable.add(badKey(s.file, s.key));
      const why = errorMessage(err);
      issue({ file: s.file, code: 'undecodable-image', key: s.key, offset: s.offset, reason: `${s.file}, sample "${s.key}", byte ${s.offset}: ${why}` });
    }
    progress(false);
  };

  let cancelled = false;
  const inFlight = new Set<Promise<void>>();
  for (const unit of units) {
    if ((cancelled = o.cancelled())) break;
    currentFile = unit.input.name;
    progress(false);
    const read = await unit.input.open({ file: unit.input.name, onIssue: issue });
    const folder = read as ShardRead & Partial<FolderRead>; // a folder input's reader says how it labels
    if (folder.labelMode === 'sorted-name' && folder.classNames) folderClassNames = folder.classNames;
    if (folder.labelMode === 'synset') synsetLabels = true;
    readerSkipped = () => read.stats.skipped;
    for await (const s of read.samples) {
      const p = check(s).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
      if ((cancelled = o.cancelled())) {
        await read.samples.return(undefined);
        break;
      }
    }
    await Promise.all(inFlight);
    skipped += read.stats.skipped;
    readerSkipped = () => 0;
    filesDone += unit.files;
    currentFile = null;
    progress(false);
    if (cancelled) break;
  }
  await Promise.all(inFlight);
  sendThumbs();
  progress(true);
  const sec = (now() - t0) / 1000;
  return {
    files, folderClassNames, synsetLabels, bytes: bytesRead, samples, skipped, issues, perClass, undecodable, decoded,
    decodePerSec: sec > 0 ? decoded / sec : 0, cancelled,
  };
}
