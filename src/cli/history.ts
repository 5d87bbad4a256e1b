// The history sidecar of a CLI checkpoint: `<checkpoint>.history`, written by `train` next to its
// checkpoint (atomically, at every save) so `compare` has the run's curves and watched spectra.
// It holds the per-step loss / top-1 / lr of the steps before the checkpoint and the watched spectra
// of those steps (src/core/isometry/watchCodec.ts), so it always matches its checkpoint's step.
//
// Layout (integers u32 little-endian; offsets in bytes):
//    0  magic         8 bytes ASCII "ISONASHI"
//    8  version       HISTORY_VERSION
//   12  headerLength  byte length H of the UTF-8 JSON header {kind: "isonas-history", steps, watchBytes}
//   16  totalLength   byte length of the file, CRC included
//   20  header, zero padding to a multiple of 4, then loss, acc, lr (float32 x steps each), then the
//       watch series bytes (watchBytes of them; 0 = none), zero padding to a multiple of 4
//   T-4 crc32 (IEEE) of bytes [0, T-4)
import { existsSync, readFileSync } from 'node:fs';
import { decodeWatchSeries, encodeWatchSeries } from '../core/isometry/watchCodec.ts';
import type { WatchSeries } from '../core/isometry/watchSeries.ts';
import { crc32 } from '../core/train/checkpointCodec.ts';

export const HISTORY_MAGIC = 'ISONASHI';
export const HISTORY_VERSION = 1;
export const HISTORY_SUFFIX = '.history';

export interface RunHistory {
  /** Entry i = step i; NaN for steps taken before the history existed (a resumed older checkpoint). */
  loss: number[];
  acc: number[];
  lr: number[];
  watch: WatchSeries | null;
}

const FIXED = 20;
const align4 = (n: number) => (n + 3) & ~3;

export function historyPath(checkpointPath: string): string {
  return `${checkpointPath}${HISTORY_SUFFIX}`;
}

export function encodeHistory(h: RunHistory): Uint8Array {
  const steps = h.loss.length;
  if (h.acc.length !== steps || h.lr.length !== steps) throw new Error(`history: ${steps} losses, ${h.acc.length} accuracies, ${h.lr.length} learning rates`);
  const watch = h.watch === null ? new Uint8Array(0) : encodeWatchSeries(h.watch);
  const header = new TextEncoder().encode(JSON.stringify({ kind: 'isonas-history', steps, watchBytes: watch.length }));
  const data = align4(FIXED + header.length);
  const total = data + 12 * steps + align4(watch.length) + 4;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = HISTORY_MAGIC.charCodeAt(i);
  v.setUint32(8, HISTORY_VERSION, true);
  v.setUint32(12, header.length, true);
  v.setUint32(16, total, true);
  out.set(header, FIXED);
  let o = data;
  for (const col of [h.loss, h.acc, h.lr]) for (let i = 0; i < steps; i++, o += 4) v.setFloat32(o, col[i], true);
  out.set(watch, o);
  v.setUint32(total - 4, crc32(out.subarray(0, total - 4)), true);
  return out;
}

/** Parses a history file; every refusal is an Error whose message starts with `source`. */
export function decodeHistory(bytes: Uint8Array, source: string): RunHistory {
  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg}`);
  };
  if (bytes.length < FIXED + 4) fail(`truncated history file (${bytes.length} bytes)`);
  for (let i = 0; i < 8; i++) if (bytes[i] !== HISTORY_MAGIC.charCodeAt(i)) fail(`not an IsoNAS history file (it does not start with "${HISTORY_MAGIC}")`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = v.getUint32(8, true);
  if (version !== HISTORY_VERSION) fail(`history version ${version} is not supported (this build reads ${HISTORY_VERSION})`);
  const headerLength = v.getUint32(12, true);
  const total = v.getUint32(16, true);
  if (total !== bytes.length) fail(`expected ${total} bytes, got ${bytes.length}`);
  if (v.getUint32(total - 4, true) !== crc32(bytes.subarray(0, total - 4))) fail('corrupted: CRC-32 mismatch');
  let head: { kind?: unknown; steps?: unknown; watchBytes?: unknown };
  try {
    head = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED, FIXED + headerLength)));
  } catch (e) {
    return fail(`malformed history header (${(e as Error).message})`);
  }
  const { steps, watchBytes } = head;
  if (head.kind !== 'isonas-history' || !Number.isSafeInteger(steps) || (steps as number) < 0 || !Number.isSafeInteger(watchBytes) || (watchBytes as number) < 0) fail('malformed history header');
  const n = steps as number;
  const data = align4(FIXED + headerLength);
  if (data + 12 * n + align4(watchBytes as number) + 4 !== total) fail(`history of ${n} steps and ${watchBytes} watch bytes does not fill ${total} bytes`);
  let o = data;
  const [loss, acc, lr] = [0, 1, 2].map(() => {
    const a: number[] = [];
    for (let i = 0; i < n; i++, o += 4) a.push(v.getFloat32(o, true));
    return a;
  });
  const watch = watchBytes === 0 ? null : decodeWatchSeries(bytes.subarray(o, o + (watchBytes as number)), source);
  return { loss, acc, lr, watch };
}

/** The history beside a checkpoint, or null when there is none. */
export function readHistoryBeside(checkpointPath: string): RunHistory | null {
  const p = historyPath(checkpointPath);
  if (!existsSync(p)) return null;
  return decodeHistory(readFileSync(p), p);
}
