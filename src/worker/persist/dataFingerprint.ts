// What a run trained on, when it trained on loaded files: the files (relative path, size, and
// lastModified where the browser gives it), the classes the scan found and the split. Stored with
// the run record (optional: records from before it, and synthetic runs, have none). A resume
// trains on the loaded data only when it matches: the same relative paths with the same sizes and
// the same classes (lastModified is kept for the record but not compared: copying a file changes
// it). Pure: unit-tested in Node.
import type { DataSplit } from '../protocol/index.ts';

export interface DataFileStamp {
  /** Relative path in the drop / pick (the name for a plain file pick). */
  path: string;
  size: number;
  /** File.lastModified (ms since the epoch), where known. */
  lastModified?: number;
}

export interface DataFingerprint {
  /** Sorted by path. */
  files: DataFileStamp[];
  /** Class indices (0..999) of the data, ascending (training label k = classIndices[k]). */
  classIndices: number[];
  /** The split the run trained with. */
  split: DataSplit;
  /** The held-out fraction the load asked for (a resume splits the files again with it). */
  valFraction: number;
}

/** What a stored run says about its data (RunRecord's fields). */
export interface RunData {
  data: string;
  dataFingerprint?: DataFingerprint;
}

/** How a resume gets its data: the synthetic data, the loaded files, or not at all (why). */
export type ResumeData = { kind: 'synthetic' } | { kind: 'files'; fingerprint: DataFingerprint } | { kind: 'refused'; message: string };

const byPath = (a: DataFileStamp, b: DataFileStamp) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export function fingerprintOf(files: readonly DataFileStamp[], classIndices: readonly number[], split: DataSplit, valFraction: number): DataFingerprint {
  const stamps = files.map((f) => (f.lastModified === undefined ? { path: f.path, size: f.size } : { path: f.path, size: f.size, lastModified: f.lastModified }));
  return { files: stamps.sort(byPath), classIndices: [...classIndices], split: structuredClone(split), valFraction };
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** "3 files (a.tar, b.tar, c.tar; 12.4 MiB)": at most `shown` paths, then "...". */
export function describeFiles(fp: DataFingerprint, shown = 3): string {
  const n = fp.files.length;
  const names = fp.files.slice(0, shown).map((f) => f.path);
  const bytes = fp.files.reduce((s, f) => s + f.size, 0);
  return `${n} file${n === 1 ? '' : 's'} (${names.join(', ')}${n > shown ? ', ...' : ''}; ${formatSize(bytes)})`;
}

const classList = (xs: readonly number[]): string => `${xs.length} (${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ', ...' : ''})`;

/** The first difference between the run's data and the loaded data, or null when they match. */
export function fingerprintMismatch(run: DataFingerprint, loaded: DataFingerprint): string | null {
  const here = new Map(loaded.files.map((f) => [f.path, f]));
  for (const f of run.files) {
    const g = here.get(f.path);
    if (g === undefined) return `"${f.path}" is not loaded`;
    if (g.size !== f.size) return `"${f.path}" has ${g.size} bytes here, ${f.size} in the run`;
  }
  const wanted = new Set(run.files.map((f) => f.path));
  const extra = loaded.files.find((f) => !wanted.has(f.path));
  if (extra !== undefined) return `"${extra.path}" is loaded, but the run did not train on it`;
  const a = run.classIndices;
  const b = loaded.classIndices;
  if (a.length !== b.length || a.some((c, i) => c !== b[i])) return `the loaded data has classes ${classList(b)}, the run trained on ${classList(a)}`;
  return null;
}

/** Whether (and on what) a stored run can resume, given the loaded data (null: synthetic selected). */
export function resumeData(run: RunData, loaded: DataFingerprint | null): ResumeData {
  const fp = run.dataFingerprint;
  if (fp === undefined) {
    if (run.data === 'synthetic') return { kind: 'synthetic' };
    return { kind: 'refused', message: `this run trained on "${run.data}" and was stored before runs recorded which files they trained on, so no loaded data can be matched to it: it cannot be resumed` };
  }
  const ask = `this run trained on ${describeFiles(fp)}; drop those same files on the Data panel, then resume`;
  if (loaded === null) return { kind: 'refused', message: `${ask} (no files are loaded now)` };
  const diff = fingerprintMismatch(fp, loaded);
  if (diff !== null) return { kind: 'refused', message: `${ask} (the loaded data differs: ${diff})` };
  return { kind: 'files', fingerprint: fp };
}

const isUint = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** A stored / imported fingerprint checked field by field: the fingerprint, or what is wrong with it. */
export function checkFingerprint(raw: unknown): DataFingerprint | string {
  if (typeof raw !== 'object' || raw === null) return 'must be an object';
  const r = raw as Record<string, unknown>;
  if (!Array.isArray(r.files) || r.files.length === 0) return 'files must be a non-empty array';
  for (const f of r.files as unknown[]) {
    const o = f as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || typeof o.path !== 'string' || !isUint(o.size) || (o.lastModified !== undefined && typeof o.lastModified !== 'number')) {
      return `files: each must be {path, size, lastModified?} (got ${JSON.stringify(f)})`;
    }
  }
  if (!Array.isArray(r.classIndices) || !(r.classIndices as unknown[]).every((c) => isUint(c) && c < 1000)) return 'classIndices must be class indices 0..999';
  const split = r.split as Record<string, unknown> | null;
  if (typeof split !== 'object' || split === null || !['files', 'fraction', 'none'].includes(split.kind as string)) return 'split must be a split ({kind: files | fraction | none})';
  if (typeof r.valFraction !== 'number' || !(r.valFraction >= 0 && r.valFraction < 1)) return 'valFraction must be a number in [0, 1)';
  return raw as DataFingerprint;
}
