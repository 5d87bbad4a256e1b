// Every limit a file or a flag meets, as data in one place (the CLI, the worker and the UI read
// these; docs/data.md lists them). A value past a limit is refused with a LimitError whose message
// names the value, the limit and where the value came from (a flag, a file, a recipe field), so a
// hostile or careless input costs a message, never a crash, a hang or gigabytes of memory.

export const MiB = 1024 * 1024;

export const LIMITS = {
  /** Largest record read into memory at once: a tar member, a TFRecord record, an ImageFolder image. */
  maxRecordBytes: 64 * MiB,
  /** Largest single slice of a file (a parquet row group's column chunks: 4 x maxRecordBytes). */
  maxSliceBytes: 256 * MiB,
  /** One positioned read in Node (the OS and Node refuse reads past 2 GiB; we stay far below). */
  readChunkBytes: 16 * MiB,
  /** Decoded pixels per image (width x height), checked from the JPEG / PNG header before decoding. */
  maxImagePixels: 40_000_000,
  /** Largest parquet footer (the metadata; ImageNet's are a few kB per row group). */
  maxParquetFooterBytes: 16 * MiB,
  /** Imported JSON (a subnet export, --arch FILE.json): size and nesting depth. */
  maxJsonBytes: 16 * MiB,
  maxJsonDepth: 64,
  /** A checkpoint or run file read whole. */
  maxCheckpointBytes: 1024 * MiB,
  /** Input resolution in pixels (square). */
  resolution: { min: 8, max: 1024 },
  /** Channel width multiplier. */
  widthMult: { min: 0.05, max: 4 },
  /** Classes (image data: at most the 1000 ImageNet classes; synthetic data up to this). */
  numClasses: { min: 2, max: 10_000 },
  /** Batch size (BN needs two samples). */
  batchSize: { min: 2, max: 4096 },
  /** Training steps. */
  steps: { min: 1, max: 10_000_000 },
  /** Peak learning rate. */
  lr: { min: 1e-8, max: 10 },
  /**
   * Estimated memory of one training step (float32 parameters of the whole supernet, their
   * gradients and momentum, plus the activations of one path for a batch; src/core/train/stepMemory.ts),
   * checked before anything is built. The paper preset (224 px, width 1, batch 32) estimates 6-10 GiB.
   */
  stepMemoryBytes: 16 * 1024 * MiB,
} as const;

export type RangeLimit = { readonly min: number; readonly max: number };

/** A value past one of LIMITS: `message` names the value, the limit and the flag / file / field. */
export class LimitError extends Error {
  constructor(
    message: string,
    /** The LIMITS key that refused it. */
    readonly limit: keyof typeof LIMITS,
  ) {
    super(message);
    this.name = 'LimitError';
  }
}

function mb(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(bytes % MiB === 0 ? 0 : 1)} MiB` : `${bytes} bytes`;
}

/** Throws unless `value` is in the range LIMITS[key]; `where` names the flag or field (e.g. "--width"). */
export function checkRange(key: 'resolution' | 'widthMult' | 'numClasses' | 'batchSize' | 'steps' | 'lr', value: number, where: string): number {
  const r: RangeLimit = LIMITS[key];
  if (!(Number.isFinite(value) && value >= r.min && value <= r.max)) {
    throw new LimitError(`${where} ${value} is outside the limit ${r.min}..${r.max}`, key);
  }
  return value;
}

/** Throws when `bytes` exceeds LIMITS[key]; `where` names the file and what is read. */
export function checkBytes(key: 'maxRecordBytes' | 'maxSliceBytes' | 'maxParquetFooterBytes' | 'maxJsonBytes' | 'maxCheckpointBytes', bytes: number, where: string): void {
  const limit = LIMITS[key];
  if (bytes > limit) throw new LimitError(`${where}: ${bytes} bytes (${mb(bytes)}) exceeds the ${mb(limit)} limit (${key})`, key);
}

/** Throws when an image of width x height has more pixels than LIMITS.maxImagePixels. */
export function checkImagePixels(width: number, height: number, where: string): void {
  const px = width * height;
  if (px > LIMITS.maxImagePixels) {
    throw new LimitError(`${where}: ${width}x${height} = ${(px / 1e6).toFixed(1)} megapixels exceeds the ${LIMITS.maxImagePixels / 1e6} MP limit (maxImagePixels)`, 'maxImagePixels');
  }
}

/**
 * Throws when JSON text is larger than LIMITS.maxJsonBytes or nests deeper than maxJsonDepth; a
 * linear scan before JSON.parse, so a hostile file costs its own size in memory, no more.
 */
export function checkJsonText(text: string, where: string): void {
  checkBytes('maxJsonBytes', text.length, where);
  checkJsonDepth(text, where);
}

/** Throws when JSON text nests deeper than LIMITS.maxJsonDepth (JSON.parse would recurse that deep). */
export function checkJsonDepth(text: string, where: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > LIMITS.maxJsonDepth) throw new LimitError(`${where}: JSON nested deeper than ${LIMITS.maxJsonDepth} levels (maxJsonDepth)`, 'maxJsonDepth');
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Throws unless a count (MACs, parameters, ...) is exact in a double (at most 2^53). */
export function checkExact(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new LimitError(`${what} ~${n.toPrecision(4)} is past 2^53 and cannot be given exactly`, 'resolution');
  return n;
}
