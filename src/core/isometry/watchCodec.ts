// Bytes of a watch series (watchSeries.ts), as the run file's "watch" section and the CLI's history
// sidecar hold it. Pure; no checksum of its own (both containers carry a CRC).
//
// Layout (integers little-endian; offsets in bytes):
//    0  magic         8 bytes ASCII "ISONASWS"
//    8  version       WATCH_CODEC_VERSION (u32)
//   12  headerLength  byte length H of the UTF-8 JSON header (u32)
//   16  entries       number of entries E (u32)
//   20  header        JSON {hist: {lo, hi, binsPerDecade}, calibration, samplePath, sampleIndex,
//                     modules: [[layer, choice, tile, rows, cols], ...]}
//   20+H padding to a multiple of 4, then the columns back to back:
//       step u32 x E, meanSq f32 x E, varSq f32 x E, min f32 x E, max f32 x E,
//       module u16 x E (padded to 4), counts u16 x E x (bins + 2) (padded to 4)
// The length must come out exact; every field is checked and a refusal names the source.
import { binCount, type WatchModule, type WatchSeries } from './watchSeries.ts';

export const WATCH_CODEC_MAGIC = 'ISONASWS';
export const WATCH_CODEC_VERSION = 1;

const FIXED = 20;
const align4 = (n: number) => (n + 3) & ~3;

export function encodeWatchSeries(s: WatchSeries): Uint8Array {
  const e = s.step.length;
  const width = binCount(s.hist) + 2;
  const head = {
    hist: s.hist,
    calibration: s.calibration,
    samplePath: s.samplePath,
    sampleIndex: s.sampleIndex,
    modules: s.modules.map((m) => [m.layer, m.choice, m.tile, m.rows, m.cols]),
  };
  const header = new TextEncoder().encode(JSON.stringify(head));
  const data = align4(FIXED + header.length);
  const total = data + 20 * e + align4(2 * e) + align4(2 * e * width);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = WATCH_CODEC_MAGIC.charCodeAt(i);
  v.setUint32(8, WATCH_CODEC_VERSION, true);
  v.setUint32(12, header.length, true);
  v.setUint32(16, e, true);
  out.set(header, FIXED);
  let o = data;
  for (let i = 0; i < e; i++, o += 4) v.setUint32(o, s.step[i], true);
  for (const col of [s.meanSq, s.varSq, s.min, s.max]) for (let i = 0; i < e; i++, o += 4) v.setFloat32(o, col[i], true);
  for (let i = 0; i < e; i++) v.setUint16(o + 2 * i, s.module[i], true);
  o += align4(2 * e);
  for (let i = 0; i < e * width; i++) v.setUint16(o + 2 * i, s.counts[i], true);
  return out;
}

const isInt = (x: unknown, min: number): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= min;

/** Parses the bytes; throws an Error whose message starts with `source`. */
export function decodeWatchSeries(bytes: Uint8Array, source: string): WatchSeries {
  const fail = (msg: string): never => {
    throw new Error(`${source}: watch series ${msg}`);
  };
  if (bytes.length < FIXED) fail(`truncated: ${bytes.length} bytes`);
  for (let i = 0; i < 8; i++) if (bytes[i] !== WATCH_CODEC_MAGIC.charCodeAt(i)) fail(`does not start with "${WATCH_CODEC_MAGIC}"`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = v.getUint32(8, true);
  if (version !== WATCH_CODEC_VERSION) fail(`version ${version} is not supported (this build reads ${WATCH_CODEC_VERSION})`);
  const headerLength = v.getUint32(12, true);
  const e = v.getUint32(16, true);
  if (FIXED + headerLength > bytes.length) fail(`header of ${headerLength} bytes runs past the end`);
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED, FIXED + headerLength))) as Record<string, unknown>;
  } catch (err) {
    return fail(`header is not UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof h !== 'object' || h === null) fail('header is not an object');
  const hist = h.hist as Record<string, unknown> | null;
  if (typeof hist !== 'object' || hist === null || !(Number(hist.lo) > 0) || !(Number(hist.hi) > Number(hist.lo)) || !isInt(hist.binsPerDecade, 1)) fail(`hist ${JSON.stringify(hist)} is not a histogram spec`);
  const spec = { lo: Number(hist!.lo), hi: Number(hist!.hi), binsPerDecade: hist!.binsPerDecade as number };
  let width = 0;
  try {
    width = binCount(spec) + 2;
  } catch (err) {
    fail((err as Error).message);
  }
  if (width > 10_000) fail(`hist has ${width - 2} bins (at most 9998)`);
  if (h.calibration !== 'sequential' && h.calibration !== 'stored') fail(`calibration ${JSON.stringify(h.calibration)} is not "sequential" or "stored"`);
  if (!Array.isArray(h.samplePath) || !h.samplePath.every((c) => isInt(c, -1))) fail('samplePath must be a list of integers >= -1');
  if (!isInt(h.sampleIndex, 0)) fail('sampleIndex must be an integer >= 0');
  if (!Array.isArray(h.modules)) fail('modules must be a list');
  const modules: WatchModule[] = (h.modules as unknown[]).map((m, i) => {
    if (!Array.isArray(m) || m.length !== 5 || !isInt(m[0], 0) || !isInt(m[1], -1) || !isInt(m[2], 1) || !isInt(m[3], 1) || !isInt(m[4], 1)) fail(`module ${i} ${JSON.stringify(m)} is not [layer, choice, tile, rows, cols]`);
    const [layer, choice, tile, rows, cols] = m as number[];
    return { layer, choice, tile, rows, cols };
  });
  const data = align4(FIXED + headerLength);
  const expected = data + 20 * e + align4(2 * e) + align4(2 * e * width);
  if (bytes.length !== expected) fail(`holds ${bytes.length} bytes, ${e} entries of ${width - 2} bins need ${expected}`);
  let o = data;
  const step = new Uint32Array(e);
  for (let i = 0; i < e; i++, o += 4) step[i] = v.getUint32(o, true);
  const floats = [0, 1, 2, 3].map(() => {
    const a = new Float32Array(e);
    for (let i = 0; i < e; i++, o += 4) a[i] = v.getFloat32(o, true);
    return a;
  });
  const module = new Uint16Array(e);
  for (let i = 0; i < e; i++) module[i] = v.getUint16(o + 2 * i, true);
  o += align4(2 * e);
  const counts = new Uint16Array(e * width);
  for (let i = 0; i < e * width; i++) counts[i] = v.getUint16(o + 2 * i, true);
  for (let i = 0; i < e; i++) {
    if (module[i] >= modules.length) fail(`entry ${i} names module ${module[i]} of ${modules.length}`);
    if (i > 0 && step[i] < step[i - 1]) fail(`entry ${i} (step ${step[i]}) comes before step ${step[i - 1]}`);
  }
  const [meanSq, varSq, min, max] = floats;
  return { hist: spec, calibration: h.calibration as WatchSeries['calibration'], samplePath: h.samplePath as number[], sampleIndex: h.sampleIndex as number, modules, step, module, meanSq, varSq, min, max, counts };
}
