import { describe, expect, it } from 'vitest';
import { PRESET_SETTINGS } from '../protocol/index.ts';
import { checkFingerprint, describeFiles, fingerprintMismatch, fingerprintOf, resumeData, type DataFingerprint } from './dataFingerprint.ts';
import { decodeRunFile, encodeRunFile } from './runFile.ts';
import { newRunRecord } from './runRecord.ts';

const split = { kind: 'fraction', fraction: 0.01 } as const;
const run = fingerprintOf(
  [
    { path: 'shards/c.tar', size: 4_000_000, lastModified: 1 },
    { path: 'shards/a.tar', size: 5_000_000, lastModified: 2 },
    { path: 'shards/b.tar', size: 4_000_000 },
  ],
  [3, 500],
  split,
  0.01,
);
const loaded = (over: Partial<DataFingerprint> = {}): DataFingerprint => ({ ...structuredClone(run), ...over });

describe('data fingerprint', () => {
  it('sorts the files by path and describes them', () => {
    expect(run.files.map((f) => f.path)).toEqual(['shards/a.tar', 'shards/b.tar', 'shards/c.tar']);
    expect(describeFiles(run)).toBe('3 files (shards/a.tar, shards/b.tar, shards/c.tar; 12.4 MiB)');
    expect(describeFiles(run, 1)).toBe('3 files (shards/a.tar, ...; 12.4 MiB)');
  });

  it('matches the same paths, sizes and classes (lastModified and file order aside)', () => {
    const same = fingerprintOf([...run.files].reverse().map((f) => ({ path: f.path, size: f.size, lastModified: 99 })), [3, 500], split, 0.01);
    expect(fingerprintMismatch(run, same)).toBeNull();
    expect(resumeData({ data: 'shards: 3 inputs', dataFingerprint: run }, same)).toEqual({ kind: 'files', fingerprint: run });
  });

  it('names the first difference: a size, a missing file, an extra file, the classes', () => {
    const files = run.files.map((f) => ({ ...f }));
    files[1].size += 1;
    expect(fingerprintMismatch(run, loaded({ files }))).toBe('"shards/b.tar" has 4000001 bytes here, 4000000 in the run');
    expect(fingerprintMismatch(run, loaded({ files: run.files.slice(0, 2) }))).toBe('"shards/c.tar" is not loaded');
    expect(fingerprintMismatch(run, loaded({ files: [...run.files, { path: 'shards/d.tar', size: 1 }] }))).toBe('"shards/d.tar" is loaded, but the run did not train on it');
    expect(fingerprintMismatch(run, loaded({ files: run.files.map((f) => ({ ...f, path: f.path.replace('shards/', '') })) }))).toBe('"shards/a.tar" is not loaded');
    expect(fingerprintMismatch(run, loaded({ classIndices: [3, 501] }))).toBe('the loaded data has classes 2 (3, 501), the run trained on 2 (3, 500)');
    expect(fingerprintMismatch(run, loaded({ classIndices: [3] }))).toMatch(/^the loaded data has classes 1 \(3\)/);
  });

  it('refuses a resume on other data, saying what to load', () => {
    const ask = 'this run trained on 3 files (shards/a.tar, shards/b.tar, shards/c.tar; 12.4 MiB); drop those same files on the Data panel, then resume';
    expect(resumeData({ data: 'x', dataFingerprint: run }, null)).toEqual({ kind: 'refused', message: `${ask} (no files are loaded now)` });
    expect(resumeData({ data: 'x', dataFingerprint: run }, loaded({ files: run.files.slice(1) }))).toEqual({ kind: 'refused', message: `${ask} (the loaded data differs: "shards/a.tar" is not loaded)` });
  });

  it('old records without a fingerprint: synthetic runs resume on synthetic data, others are refused', () => {
    expect(resumeData({ data: 'synthetic' }, null)).toEqual({ kind: 'synthetic' });
    expect(resumeData({ data: 'synthetic' }, run)).toEqual({ kind: 'synthetic' }); // loaded files do not matter
    const r = resumeData({ data: 'shards: 2 inputs train, 0 val' }, run);
    expect(r).toMatchObject({ kind: 'refused', message: expect.stringMatching(/^this run trained on "shards: 2 inputs train, 0 val" and was stored before runs recorded which files/) });
  });

  it('is stored with a new run record and survives export / import; a record without it still imports', () => {
    const base = { id: 'run-a-0000001', now: 1, preset: 'tiny' as const, settings: PRESET_SETTINGS.tiny, totalSteps: 10 };
    const withFp = newRunRecord({ ...base, data: 'shards', dataFingerprint: run });
    expect(withFp.dataFingerprint).toEqual(run);
    const back = decodeRunFile(encodeRunFile({ record: withFp, checkpoint: null }), 'a.isonas-run').record;
    expect(back.dataFingerprint).toEqual(run);
    const old = newRunRecord({ ...base, data: 'synthetic' });
    expect('dataFingerprint' in old).toBe(false);
    expect('dataFingerprint' in decodeRunFile(encodeRunFile({ record: old, checkpoint: null }), 'b.isonas-run').record).toBe(false);
    const bad = { ...withFp, dataFingerprint: { ...run, files: [{ path: 'a.tar', size: -1 }] } };
    expect(() => decodeRunFile(encodeRunFile({ record: bad, checkpoint: null }), 'c.isonas-run')).toThrow(/c\.isonas-run.*dataFingerprint: files: each must be/);
  });

  it('checks a stored fingerprint field by field', () => {
    expect(checkFingerprint(run)).toEqual(run);
    expect(checkFingerprint(null)).toBe('must be an object');
    expect(checkFingerprint({ ...run, files: [] })).toBe('files must be a non-empty array');
    expect(checkFingerprint({ ...run, classIndices: [1000] })).toBe('classIndices must be class indices 0..999');
    expect(checkFingerprint({ ...run, split: { kind: 'x' } })).toMatch(/^split must be/);
    expect(checkFingerprint({ ...run, valFraction: 1 })).toBe('valFraction must be a number in [0, 1)');
  });
});
