import { describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../../core/train/checkpointCodec.ts';
import { PRESET_SETTINGS, type StoredSearch } from '../protocol/index.ts';
import { decodeRunFile, encodeRunFile, RUN_FILE_MAGIC, RunFileError } from './runFile.ts';
import { newRunRecord, type RunRecord } from './runRecord.ts';
import { DEFAULT_HISTOGRAM } from '../../core/isometry/bins.ts';
import { WatchBuffer, type WatchSeries } from '../../core/isometry/watchSeries.ts';
import { crc32 } from '../../core/train/checkpointCodec.ts';

/** A watch series with one module (layer 2, identity) at steps 1, 4 and 6. */
function sampleWatch(): WatchSeries {
  const analysis = { hist: { ...DEFAULT_HISTOGRAM }, calibration: 'sequential' as const, samplePath: [0, -1, 1], sampleIndex: 0 };
  const b = WatchBuffer.empty(analysis);
  for (const step of [1, 4, 6]) {
    const histCounts = new Uint32Array(24);
    histCounts[step] = 5;
    b.append({ step, analysis, modules: [{ layer: 2, choice: -1, tile: 4, rows: 16, cols: 16, meanSq: 1 + step / 10, varSq: 0.1, min: 0.5, max: 2, count: 6, under: 1, over: 0 }], histCounts, ms: 3, share: 0.1 });
  }
  return b.series();
}

/** Not a search result's shape: a run file keeps it as it is (resume checks it, storedSearchOf). */
const ODD_SEARCH = { top: [[0, 1, -1]], rule: 'dirf' } as unknown as StoredSearch;

function sampleRecord(steps: number, withCheckpoint: boolean): RunRecord {
  const r = newRunRecord({ id: 'run-abc-0000001', now: 1_700_000_000_000, preset: 'tiny', settings: PRESET_SETTINGS.tiny, data: 'synthetic', totalSteps: 100 });
  const loss = Float32Array.from({ length: steps }, (_, i) => 2.3 - i / 7);
  const acc = Float32Array.from({ length: steps }, (_, i) => i / 16);
  const lr = Float32Array.from({ length: steps }, (_, i) => 0.1 * Math.cos(i / 30));
  return { ...r, status: 'paused', step: steps + 2, checkpointStep: withCheckpoint ? steps : null, metrics: { loss, acc, lr }, search: ODD_SEARCH };
}

const checkpoint = () => encodeCheckpoint({ meta: { kind: 'x', step: 5 }, tensors: [{ name: 'a', shape: [3], data: Float32Array.from([1, -2, 3.5]) }] });

describe('run file', () => {
  it('round-trips a record, its metrics (bit for bit), its search results and its checkpoint', () => {
    const rec = sampleRecord(5, true);
    const ck = checkpoint();
    const bytes = encodeRunFile({ record: rec, checkpoint: ck });
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe(RUN_FILE_MAGIC);
    const back = decodeRunFile(bytes, 'a.isonas-run');
    expect(back.checkpoint).toEqual(ck);
    expect(back.record).toEqual({ ...rec, checkpointBytes: ck.length });
    expect(Array.from(back.record.metrics.loss)).toEqual(Array.from(rec.metrics.loss));
  });

  it('carries the watched spectra (cut to the checkpoint), and refuses a damaged watch section naming the file', () => {
    const rec = { ...sampleRecord(5, true), watch: sampleWatch() };
    const bytes = encodeRunFile({ record: rec, checkpoint: checkpoint() });
    const back = decodeRunFile(bytes, 'w.isonas-run').record.watch;
    // the frame of step 6 belongs to a step after the checkpoint at 5: a resume re-takes it
    expect(Array.from(back?.step ?? [])).toEqual([1, 4]);
    expect(back?.meanSq[1]).toBeCloseTo(1.4, 6);
    expect(Array.from(back?.counts.subarray(26, 52) ?? [])).toEqual([1, 0, 0, 0, 0, 5, ...new Array(20).fill(0)]);
    // without a watch section (files of older builds) the record has none
    expect('watch' in decodeRunFile(encodeRunFile({ record: sampleRecord(5, true), checkpoint: checkpoint() }), 'old.isonas-run').record).toBe(false);
    // damage the watch section's magic and fix the CRC: refused by the watch codec, naming the file
    const bad = bytes.slice();
    const at = new TextDecoder('latin1').decode(bad).indexOf('ISONASWS');
    bad[at] = 0x58;
    new DataView(bad.buffer).setUint32(bad.length - 4, crc32(bad.subarray(0, bad.length - 4)), true);
    expect(() => decodeRunFile(bad, 'w.isonas-run')).toThrow(RunFileError);
    expect(() => decodeRunFile(bad, 'w.isonas-run')).toThrow('w.isonas-run: watch series does not start with "ISONASWS"');
  });

  it('round-trips a run without a checkpoint or steps', () => {
    const rec = sampleRecord(0, false);
    const back = decodeRunFile(encodeRunFile({ record: rec, checkpoint: null }), 'empty.isonas-run');
    expect(back.checkpoint).toBeNull();
    expect(back.record.metrics.loss.length).toBe(0);
    expect(back.record.checkpointStep).toBeNull();
  });

  it('refuses truncated, padded, corrupted, foreign and newer files, naming the file', () => {
    const good = encodeRunFile({ record: sampleRecord(5, true), checkpoint: checkpoint() });
    const refuse = (bytes: Uint8Array, name: string, re: RegExp) => {
      let err: unknown = null;
      try {
        decodeRunFile(bytes, name);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RunFileError);
      expect((err as Error).message).toMatch(new RegExp(`^${name.replace('.', '\\.')}: `));
      expect((err as Error).message).toMatch(re);
    };
    refuse(good.slice(0, good.length - 9), 'cut.isonas-run', /truncated: expected \d+ bytes, got \d+/);
    refuse(good.slice(0, 10), 'tiny.isonas-run', /truncated/);
    refuse(new Uint8Array([...good, 0]), 'long.isonas-run', /1 trailing bytes/);
    const flipped = good.slice();
    flipped[40] ^= 0xff;
    refuse(flipped, 'flip.isonas-run', /CRC-32 mismatch/);
    refuse(new TextEncoder().encode('{"not": "a run"}'), 'notes.json', /not an IsoNAS run file/);
    refuse(checkpoint(), 'model.ckpt', /not an IsoNAS run file/);
    const v2 = good.slice();
    new DataView(v2.buffer).setUint32(8, 2, true);
    refuse(v2, 'new.isonas-run', /version 2 is not supported/);
  });

  it('refuses a well-formed file whose record is wrong', () => {
    const bad = { ...sampleRecord(3, true), preset: 'huge' } as unknown as RunRecord;
    expect(() => decodeRunFile(encodeRunFile({ record: bad, checkpoint: checkpoint() }), 'bad.isonas-run')).toThrow(/^bad\.isonas-run: record field preset/);
    const gap = { ...sampleRecord(3, true), checkpointStep: 7 };
    expect(() => decodeRunFile(encodeRunFile({ record: gap, checkpoint: checkpoint() }), 'gap.isonas-run')).toThrow(/metrics hold 3 steps but the checkpoint is at step 7/);
    expect(() => decodeRunFile(encodeRunFile({ record: sampleRecord(3, true), checkpoint: null }), 'lost.isonas-run')).toThrow(/record names a checkpoint at step 3 but the file has none/);
  });
});
