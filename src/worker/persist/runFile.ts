// The run file: one stored run (record, metrics history, last checkpoint) packed into a single
// versioned file for export / import. Pure: no tensors, no IndexedDB.
//
// Layout (integers u32 little-endian; offsets in bytes):
//    0  magic         8 bytes ASCII "ISONASRN"
//    8  version       RUN_FILE_VERSION
//   12  headerLength  byte length H of the UTF-8 JSON header
//   16  totalLength   byte length of the whole file, CRC included (truncation check)
//   20  header        UTF-8 JSON {kind: "isonas-run", record: {...the RunRecord without metrics},
//                     sections: [{name, type: "f32" | "u8", offset, length}]}
//                     offset: bytes from the start of the data; length: elements
//   20+H padding      zero bytes up to the next multiple of 4
//   D   data          sections back to back, each starting on a multiple of 4:
//                     "loss", "acc", "lr" (float32 LE, one per step) and "checkpoint" (the
//                     ISONASCK blob of src/core/train/checkpointCodec.ts; absent without one)
//                     and "watch" (u8: the watched spectra, src/core/isometry/watchCodec.ts;
//                     absent when the run watched nothing, and in files written before it existed)
//   T-4 crc32         CRC-32 (IEEE) of bytes [0, T-4)
//
// decode checks magic, version, length, CRC, header JSON, sections, then the record's fields, and
// names the file in every refusal. The checkpoint blob is checked by its own codec at import.
import { checkJsonDepth } from '../../core/limits.ts';
import { crc32 } from '../../core/train/checkpointCodec.ts';
import { PRESET_NAMES, type MetricsHistory, type PresetName, type RunStatus, type StoredSearch, type TrainSettings } from '../protocol/index.ts';
import { RUN_RECORD_VERSION, type RunRecord } from './runRecord.ts';
import { checkFingerprint, type DataFingerprint } from './dataFingerprint.ts';
import { decodeWatchSeries, encodeWatchSeries } from '../../core/isometry/watchCodec.ts';
import { cutWatchSeries } from '../../core/isometry/watchSeries.ts';

export const RUN_FILE_MAGIC = 'ISONASRN';
export const RUN_FILE_VERSION = 1;
/** Suggested file name extension. */
export const RUN_FILE_EXTENSION = '.isonas-run';

const FIXED = 20;
const CRC = 4;
const KIND = 'isonas-run';
const METRIC_NAMES = ['loss', 'acc', 'lr'] as const;
const STATUSES: readonly RunStatus[] = ['idle', 'running', 'paused', 'stopped', 'done', 'interrupted'];
const SETTING_FIELDS: Record<keyof TrainSettings, 'string' | 'number'> = {
  space: 'string',
  resolution: 'number',
  widthMult: 'number',
  numClasses: 'number',
  init: 'string',
  seed: 'number',
  mode: 'string',
  sampler: 'string',
  batchSize: 'number',
  totalSteps: 'number',
  lr: 'number',
};

export class RunFileError extends Error {
  constructor(message: string, readonly fileName: string) {
    super(message);
    this.name = 'RunFileError';
  }
}

export interface RunFileContent {
  record: RunRecord;
  /** The last checkpoint (ISONASCK bytes), or null when the run has none. */
  checkpoint: Uint8Array | null;
}

interface Section {
  name: string;
  type: 'f32' | 'u8';
  offset: number;
  length: number;
}

const align4 = (n: number) => (n + 3) & ~3;

export function encodeRunFile(c: RunFileContent): Uint8Array {
  const { metrics, watch, ...rest } = c.record;
  const parts: Array<{ s: Section; bytes: Uint8Array }> = [];
  let offset = 0;
  const add = (name: string, type: Section['type'], length: number, bytes: Uint8Array) => {
    parts.push({ s: { name, type, offset, length }, bytes });
    offset = align4(offset + bytes.length);
  };
  for (const name of METRIC_NAMES) {
    const a = metrics[name];
    const bytes = new Uint8Array(a.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < a.length; i++) view.setFloat32(4 * i, a[i], true);
    add(name, 'f32', a.length, bytes);
  }
  if (c.checkpoint !== null) add('checkpoint', 'u8', c.checkpoint.length, c.checkpoint);
  if (watch !== undefined) {
    const bytes = encodeWatchSeries(watch);
    add('watch', 'u8', bytes.length, bytes);
  }

  const header = new TextEncoder().encode(JSON.stringify({ kind: KIND, record: rest, sections: parts.map((p) => p.s) }));
  const dataStart = align4(FIXED + header.length);
  const total = dataStart + offset + CRC;
  if (total > 0xffffffff) throw new Error(`run file of ${total} bytes exceeds the 4 GiB format limit`);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = RUN_FILE_MAGIC.charCodeAt(i);
  view.setUint32(8, RUN_FILE_VERSION, true);
  view.setUint32(12, header.length, true);
  view.setUint32(16, total, true);
  out.set(header, FIXED);
  for (const p of parts) out.set(p.bytes, dataStart + p.s.offset);
  view.setUint32(total - CRC, crc32(out.subarray(0, total - CRC)), true);
  return out;
}

/** Parses a run file; every refusal is a RunFileError whose message starts with `fileName`. */
export function decodeRunFile(bytes: Uint8Array, fileName: string): RunFileContent {
  const fail = (msg: string): never => {
    throw new RunFileError(`${fileName}: ${msg}`, fileName);
  };
  const n = bytes.length;
  for (let i = 0; i < Math.min(n, 8); i++) {
    if (bytes[i] !== RUN_FILE_MAGIC.charCodeAt(i)) fail(`not an IsoNAS run file (it does not start with "${RUN_FILE_MAGIC}")`);
  }
  if (n < FIXED + CRC) fail(`truncated: ${n} bytes, a run file has at least ${FIXED + CRC}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== RUN_FILE_VERSION) fail(`run file version ${version} is not supported by this build (version ${RUN_FILE_VERSION})`);
  const headerLength = view.getUint32(12, true);
  const total = view.getUint32(16, true);
  if (n < total) fail(`truncated: expected ${total} bytes, got ${n}`);
  if (n > total) fail(`expected ${total} bytes, got ${n} (${n - total} trailing bytes)`);
  const stored = view.getUint32(total - CRC, true);
  if (stored !== crc32(bytes.subarray(0, total - CRC))) fail('corrupted: CRC-32 mismatch');
  const dataStart = align4(FIXED + headerLength);
  if (dataStart > total - CRC) fail(`malformed: header length ${headerLength} runs past the end`);

  let head: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED, FIXED + headerLength));
    checkJsonDepth(text, 'header');
    head = JSON.parse(text);
  } catch (e) {
    fail(`malformed header: not UTF-8 JSON (${(e as Error).message})`);
  }
  const h = head as { kind?: unknown; record?: unknown; sections?: unknown };
  if (typeof h !== 'object' || h === null || h.kind !== KIND) fail(`header kind ${JSON.stringify(h?.kind)} is not "${KIND}"`);
  if (!Array.isArray(h.sections)) fail('malformed header: "sections" must be an array');

  const dataBytes = total - CRC - dataStart;
  const sections = new Map<string, Uint8Array>();
  const metricArrays: Partial<Record<(typeof METRIC_NAMES)[number], Float32Array>> = {};
  for (const raw of h.sections as unknown[]) {
    const s = raw as Partial<Section>;
    const name = typeof s?.name === 'string' ? s.name : '?';
    if (!isUint(s?.offset) || !isUint(s?.length) || (s?.type !== 'f32' && s?.type !== 'u8')) fail(`malformed section ${name}`);
    const sec = s as Section;
    const byteLen = sec.type === 'f32' ? sec.length * 4 : sec.length;
    if (sec.offset % 4 !== 0 || sec.offset + byteLen > dataBytes) fail(`section ${name} lies outside the data (${dataBytes} bytes)`);
    if (sections.has(name)) fail(`duplicate section ${name}`);
    const slice = bytes.slice(dataStart + sec.offset, dataStart + sec.offset + byteLen);
    sections.set(name, slice);
    if ((METRIC_NAMES as readonly string[]).includes(name)) {
      if (sec.type !== 'f32') fail(`section ${name} must be f32`);
      const dv = new DataView(slice.buffer);
      const a = new Float32Array(sec.length);
      for (let i = 0; i < a.length; i++) a[i] = dv.getFloat32(4 * i, true);
      metricArrays[name as (typeof METRIC_NAMES)[number]] = a;
    } else if (name !== 'checkpoint' && name !== 'watch') {
      fail(`unknown section ${name}`);
    }
  }
  for (const m of METRIC_NAMES) if (metricArrays[m] === undefined) fail(`missing section ${m}`);
  const metrics = metricArrays as MetricsHistory;
  if (metrics.acc.length !== metrics.loss.length || metrics.lr.length !== metrics.loss.length) {
    fail(`metrics sections differ in length (loss ${metrics.loss.length}, acc ${metrics.acc.length}, lr ${metrics.lr.length})`);
  }
  const record = checkRecord(h.record, metrics, fail);
  const checkpoint = sections.get('checkpoint') ?? null;
  if ((checkpoint === null) !== (record.checkpointStep === null)) {
    fail(checkpoint === null ? `record names a checkpoint at step ${record.checkpointStep} but the file has none` : 'file has a checkpoint but the record names none');
  }
  const watchBytes = sections.get('watch');
  let watch = {};
  if (watchBytes !== undefined) {
    try {
      // frames after the checkpoint belong to steps a resume re-takes
      const series = decodeWatchSeries(watchBytes, fileName);
      watch = { watch: record.checkpointStep === null ? series : cutWatchSeries(series, record.checkpointStep) };
    } catch (e) {
      throw new RunFileError((e as Error).message, fileName);
    }
  }
  return { record: { ...record, ...watch, checkpointBytes: checkpoint?.length ?? 0 }, checkpoint };
}

function isUint(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function checkRecord(raw: unknown, metrics: MetricsHistory, fail: (msg: string) => never): RunRecord {
  if (typeof raw !== 'object' || raw === null) return fail('malformed header: "record" must be an object');
  const r = raw as Record<string, unknown>;
  const bad = (field: string, want: string) => fail(`record field ${field} ${want} (got ${JSON.stringify(r[field])})`);
  if (r.version !== RUN_RECORD_VERSION) bad('version', `must be ${RUN_RECORD_VERSION}`);
  for (const f of ['id', 'name', 'data'] as const) if (typeof r[f] !== 'string' || (r[f] as string).length === 0) bad(f, 'must be a non-empty string');
  for (const f of ['created', 'updated', 'step', 'totalSteps', 'checkpointBytes'] as const) if (!isUint(r[f])) bad(f, 'must be a non-negative integer');
  if (!(PRESET_NAMES as readonly string[]).includes(r.preset as string)) bad('preset', `must be one of ${PRESET_NAMES.join(', ')}`);
  if (!STATUSES.includes(r.status as RunStatus)) bad('status', `must be one of ${STATUSES.join(', ')}`);
  if (r.checkpointStep !== null && !isUint(r.checkpointStep)) bad('checkpointStep', 'must be null or a non-negative integer');
  const s = r.settings as Record<string, unknown> | null;
  if (typeof s !== 'object' || s === null) bad('settings', 'must be an object');
  for (const [k, type] of Object.entries(SETTING_FIELDS)) {
    if (typeof (s as Record<string, unknown>)[k] !== type) fail(`record field settings.${k} must be a ${type} (got ${JSON.stringify((s as Record<string, unknown>)[k])})`);
  }
  const ckptStep = r.checkpointStep as number | null;
  if (ckptStep !== null && metrics.loss.length !== ckptStep) {
    fail(`metrics hold ${metrics.loss.length} steps but the checkpoint is at step ${ckptStep}`);
  }
  return {
    version: RUN_RECORD_VERSION,
    id: r.id as string,
    name: r.name as string,
    created: r.created as number,
    updated: r.updated as number,
    preset: r.preset as PresetName,
    settings: s as unknown as TrainSettings,
    data: r.data as string,
    status: r.status as RunStatus,
    step: r.step as number,
    totalSteps: r.totalSteps as number,
    checkpointStep: ckptStep,
    checkpointBytes: r.checkpointBytes as number,
    metrics,
    // checked where it is used (storedSearchOf on resume): a bad search result does not refuse the file
    search: r.search === undefined ? null : (r.search as StoredSearch),
    ...dataFingerprintOf(r.dataFingerprint, fail),
  };
}

/** The record's optional data fingerprint, checked ({} when absent). */
function dataFingerprintOf(raw: unknown, fail: (msg: string) => never): { dataFingerprint?: DataFingerprint } {
  if (raw === undefined) return {};
  const fp = checkFingerprint(raw);
  return typeof fp === 'string' ? fail(`record field dataFingerprint: ${fp}`) : { dataFingerprint: fp };
}
