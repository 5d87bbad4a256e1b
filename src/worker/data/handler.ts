// The worker's data commands: `loadData` reads the posted files in the background (dataScan.ts),
// streaming progress, issues and thumbnails, and keeps what it found as the selected data;
// `dataClear` selects the built-in synthetic data again. `sourceFor` gives each `build` its
// BatchSource: the core's shard pipeline over the selected files (undefined = synthetic), split
// into training and validation samples as dataSplit.ts decides. `sourceForRun` gives a resumed
// run its data: the loaded files only when they match the run's data fingerprint.
import type { TrainRecipe } from '../../core/train/recipe.ts';
import type { ImageDecoder } from '../../core/data/images/decode.ts';
import type { FileLike } from '../../core/data/open/fileLike.ts';
import { className, indexToSynset, selectClasses } from '../../core/data/labels/labels.ts';
import { DEFAULT_AUGMENT } from '../../core/data/pipeline/augment.ts';
import { DEFAULT_PIPELINE, ShardPipelineSource } from '../../core/data/pipeline/shardSource.ts';
import { chooseSplit, DEFAULT_VAL_FRACTION, splitInputs, trainSamplesOf, valFractionOf } from './split.ts';
import { fingerprintOf, resumeData, type DataFileStamp, type DataFingerprint, type ResumeData, type RunData } from '../persist/dataFingerprint.ts';
import type { DataIssue } from '../../core/data/formats/shard.ts';
import type { BatchSource } from '../../core/data/source.ts';
import { scanFiles, type ScanResult } from './scan.ts';
import { CachingDecoder, type PixelStore } from './decodeCache.ts';
import { OpfsPixelStore } from './opfsStore.ts';
import type { DataClearCommand, DataFileRef, DataSplit, DataSummary, EngineEvent, LoadDataCommand } from '../protocol/index.ts';
import { JobSlot, type Job, type Post } from '../job.ts';


/** A posted File as the readers' FileLike, named by its relative path. */
export function browserFile(ref: DataFileRef): FileLike {
  return { name: ref.path || ref.file.name, size: ref.file.size, slice: (a, b) => ref.file.slice(a, b).arrayBuffer() };
}

interface Selected {
  files: FileLike[];
  summary: DataSummary;
  /** Keep decoded images in the OPFS cache while training. */
  cache: boolean;
  /** What a run trained on this data records (and a resume must match). */
  fingerprint: DataFingerprint;
}

/** Side of the cached copy for a training resolution: twice it, within 32..512 px. */
export const cacheSideFor = (resolution: number): number => Math.min(512, Math.max(32, 2 * resolution));

/** "3 files (a.tar, b.tar, ...)" */
function nameOf(files: readonly FileLike[]): string {
  const shown = files.slice(0, 2).map((f) => f.name);
  return `${files.length} file${files.length === 1 ? '' : 's'} (${shown.join(', ')}${files.length > 2 ? ', ...' : ''})`;
}

/** The summary of a finished scan, or why it selects nothing. */
export function summarise(files: readonly FileLike[], r: ScanResult, split: DataSplit = chooseSplit(files, DEFAULT_VAL_FRACTION)): DataSummary | string {
  if (r.samples === 0) return `no usable sample in ${nameOf(files)}: see the listed issues`;
  const classIndices: number[] = [];
  r.perClass.forEach((n, c) => n > 0 && classIndices.push(c));
  // ImageNet names only where the data says its labels are ImageNet's (a synset somewhere); else its own or "class 3"
  const names = classIndices.map((c) => (r.folderClassNames ? r.folderClassNames[c] ?? `class ${c}` : r.synsetLabels ? `${indexToSynset(c)} ${className(c)}` : `class ${c}`));
  if (classIndices.length < 2) return `the data has one class (${names[0]}): training needs at least two`;
  return {
    name: nameOf(files),
    files: files.length,
    bytes: r.bytes,
    samples: r.samples,
    skipped: r.skipped,
    issues: r.issues,
    classIndices,
    classCounts: classIndices.map((c) => r.perClass[c]),
    classNames: names,
    synsetLabels: r.synsetLabels,
    decoded: r.decoded,
    decodePerSec: r.decodePerSec,
    split,
  };
}

export class DataHandler {
  private selected: Selected | null = null;
  private readonly jobs: JobSlot;
  private source: BatchSource | null = null;
  /** file \0 key \0 code of every issue posted while training (each is reported once). */
  private readonly trainingIssues = new Set<string>();

  constructor(
    private readonly post: Post,
    private readonly decoder: ImageDecoder,
    /** The decode cache's store for a side, or null where none can live (no OPFS: no cache). */
    private readonly makeStore: (side: number) => PixelStore | null = (side) => (OpfsPixelStore.available() ? new OpfsPixelStore(side) : null),
  ) {
    this.jobs = new JobSlot(post, 'loading data failed');
  }

  /** Starts reading the files in the background (cancelling a load in progress); returns at once. */
  load(cmd: LoadDataCommand): void {
    const valFraction = valFractionOf(cmd.valFraction); // throws (answered as an error) before anything is cancelled
    this.jobs.requestStop();
    const files = cmd.files.map(browserFile);
    const stamps: DataFileStamp[] = cmd.files.map((ref, i) => ({ path: files[i].name, size: ref.file.size, lastModified: ref.file.lastModified }));
    this.jobs.start(cmd.id, (job) => this.scan(job, files, cmd.cache === true, valFraction, stamps), `0 of ${files.length} files`);
  }

  /** Cancels a load in progress and selects the synthetic data. */
  async clear(cmd: DataClearCommand): Promise<void> {
    await this.jobs.stop();
    this.selected = null;
    this.post({ type: 'dataCleared', id: cmd.id });
  }

  /** The selected data's class count and name, or null for the synthetic data. Throws while loading. */
  selection(): { numClasses: number; name: string } | null {
    const job = this.jobs.job;
    if (job) throw new Error(`cannot build: data is still loading (${job.progress}); wait for it, or clear it`);
    if (!this.selected) return null;
    const { summary, cache } = this.selected;
    const cached = cache && this.makeStore(32) !== null ? ' + decoded-image cache' : '';
    return { numClasses: summary.classIndices.length, name: summary.name + cached };
  }

  /** The selected data's fingerprint (what a run started on it records), or null for the synthetic data. */
  fingerprint(): DataFingerprint | null {
    return this.selected?.fingerprint ?? null;
  }

  /** What a resume of a run that trained on `run` trains on: throws, naming what to load, when the loaded data does not match. */
  checkResume(run: RunData): ResumeData {
    const job = this.jobs.job;
    if (job && run.dataFingerprint !== undefined) throw new Error(`cannot resume: data is still loading (${job.progress}); wait for it, then resume`);
    const r = resumeData(run, job ? null : this.fingerprint());
    if (r.kind === 'refused') throw new Error(r.message);
    return r;
  }

  /** The source a resumed run trains on (see checkResume): its own split of the matching files, or undefined (synthetic). */
  async sourceForRun(recipe: TrainRecipe, run: RunData): Promise<BatchSource | undefined> {
    const r = this.checkResume(run);
    if (r.kind === 'files') return this.sourceFor(recipe, r.fingerprint.valFraction);
    await this.source?.dispose();
    this.source = null;
    return undefined;
  }

  /** The decoder a build's pipeline uses: through the decode cache when asked and available. */
  private decoderFor(resolution: number, cache: boolean): ImageDecoder {
    const side = cacheSideFor(resolution);
    const store = cache ? this.makeStore(side) : null;
    return store === null ? this.decoder : new CachingDecoder(this.decoder, store, side);
  }

  /**
   * The source the next session trains on (disposing the one made for the previous session, which
   * must be disposed already): the shard pipeline over the selected data, or undefined (synthetic).
   * `valFraction` re-splits the files with that held-out fraction (a resumed run's); default: the
   * split of the load.
   */
  async sourceFor(recipe: TrainRecipe, valFraction?: number): Promise<BatchSource | undefined> {
    await this.source?.dispose();
    this.source = null;
    if (!this.selected) return undefined;
    const { files, summary, cache } = this.selected;
    this.trainingIssues.clear();
    const decoder = this.decoderFor(recipe.config.resolution, cache);
    const chosen = valFraction === undefined ? summary.split : chooseSplit(files, valFraction);
    const { inputs, split } = splitInputs(files, chosen);
    this.source = new ShardPipelineSource(inputs, decoder, {
      ...DEFAULT_PIPELINE,
      split,
      resolution: recipe.config.resolution,
      seed: recipe.seed,
      classes: selectClasses({ kind: 'indices', indices: summary.classIndices }),
      augment: DEFAULT_AUGMENT,
      trainSizeHint: trainSamplesOf(summary.samples, summary.bytes, chosen),
      onIssue: (i) => this.trainingIssue(i),
    });
    return this.source;
  }

  private issueEvent(id: number | null, i: DataIssue): EngineEvent {
    const ev: EngineEvent = { type: 'dataIssue', id, file: i.file, code: i.code, reason: i.reason };
    if (i.key !== undefined) ev.key = i.key;
    if (i.offset !== undefined) ev.offset = i.offset;
    return ev;
  }

  private trainingIssue(i: DataIssue): void {
    const k = `${i.file}\u0000${i.key ?? i.offset ?? ''}\u0000${i.code}`;
    if (this.trainingIssues.has(k)) return;
    this.trainingIssues.add(k);
    this.post(this.issueEvent(null, i));
  }

  private async scan(job: Job, files: FileLike[], cache: boolean, valFraction: number, stamps: DataFileStamp[]): Promise<void> {
    const { id } = job;
    const r = await scanFiles(files, {
      decoder: this.decoder,
      onProgress: (p) => {
        job.progress = `${p.filesDone} of ${p.filesTotal} files`;
        if (!job.stopRequested) this.post({ type: 'dataProgress', id, ...p }, [p.perClass.buffer]);
      },
      onIssue: (i) => job.stopRequested || this.post(this.issueEvent(id, i)),
      onThumbnails: (t) => job.stopRequested || this.post({ type: 'dataSamples', id, samples: t }, t.map((x) => x.rgba.buffer)),
      cancelled: () => job.stopRequested,
    });
    if (r.cancelled) {
      this.post({ type: 'dataLoaded', id, summary: null, cancelled: true, reason: 'cancelled by a later load or clear' });
      return;
    }
    const summary = summarise(files, r, chooseSplit(files, valFraction));
    if (typeof summary === 'string') {
      this.post({ type: 'dataLoaded', id, summary: null, cancelled: false, reason: summary });
      return;
    }
    this.selected = { files, summary, cache, fingerprint: fingerprintOf(stamps, summary.classIndices, summary.split, valFraction) };
    this.post({ type: 'dataLoaded', id, summary, cancelled: false });
  }
}
