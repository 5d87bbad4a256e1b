import { describe, expect, it } from 'vitest';
import { className, inceptionLabelToIndex, indexToSynset, selectClasses, synsetFromFileName, synsetToIndex } from './labels';
import { resolveClass } from './resolveClass';
import { IMAGENET_CLASS_NAMES, IMAGENET_SYNSETS } from './synsets';

describe('synset table', () => {
  it('holds 1000 distinct sorted WordNet ids with names', () => {
    expect(IMAGENET_SYNSETS).toHaveLength(1000);
    expect(IMAGENET_CLASS_NAMES).toHaveLength(1000);
    expect(new Set(IMAGENET_SYNSETS).size).toBe(1000);
    expect([...IMAGENET_SYNSETS].sort()).toEqual(IMAGENET_SYNSETS);
    for (const s of IMAGENET_SYNSETS) expect(s).toMatch(/^n\d{8}$/);
    expect(IMAGENET_SYNSETS[0]).toBe('n01440764');
    expect(IMAGENET_SYNSETS[999]).toBe('n15075141');
    expect(className(0)).toBe('tench, Tinca tinca');
    expect(className(1)).toBe('goldfish, Carassius auratus');
  });
});

describe('label helpers', () => {
  it('maps synsets to sorted indices and back', () => {
    expect(synsetToIndex('n01440764')).toBe(0);
    expect(synsetToIndex('n15075141')).toBe(999);
    expect(synsetToIndex('n99999999')).toBe(-1);
    expect(indexToSynset(1)).toBe('n01443537');
    expect(() => indexToSynset(1000)).toThrow(/0\.\.999/);
  });

  it('shifts inception labels 1..1000 to 0..999 and rejects the rest', () => {
    expect(inceptionLabelToIndex(1)).toBe(0);
    expect(inceptionLabelToIndex(1000)).toBe(999);
    expect(inceptionLabelToIndex(0)).toBe(-1);
    expect(inceptionLabelToIndex(1001)).toBe(-1);
    expect(inceptionLabelToIndex(1.5)).toBe(-1);
  });

  it('finds the synset in ImageNet train file names only', () => {
    expect(synsetFromFileName('n01440764_10026.JPEG')).toBe('n01440764');
    expect(synsetFromFileName('train/n01440764/n01443537_1.JPEG')).toBe('n01443537');
    expect(synsetFromFileName('ILSVRC2012_val_00000001.JPEG')).toBeUndefined();
  });
});

describe('class subsets', () => {
  it('keeps the first K classes as labels 0..K-1', () => {
    const s = selectClasses({ kind: 'first', count: 10 });
    expect(s.numClasses).toBe(10);
    expect(s.labelOf[9]).toBe(9);
    expect(s.labelOf[10]).toBe(-1);
  });

  it('keeps an explicit list in its order', () => {
    const s = selectClasses({ kind: 'synsets', synsets: ['n15075141', 'n01440764'] });
    expect(s.classIndices).toEqual([999, 0]);
    expect(s.labelOf[999]).toBe(0);
    expect(s.labelOf[0]).toBe(1);
    expect(s.labelOf[1]).toBe(-1);
    const t = selectClasses({ kind: 'indices', indices: [5, 3] });
    expect([t.labelOf[5], t.labelOf[3], t.labelOf[4]]).toEqual([0, 1, -1]);
    expect(selectClasses().numClasses).toBe(1000);
  });

  it('rejects invalid selections', () => {
    expect(() => selectClasses({ kind: 'first', count: 0 })).toThrow();
    expect(() => selectClasses({ kind: 'first', count: 1001 })).toThrow();
    expect(() => selectClasses({ kind: 'synsets', synsets: ['n00000000'] })).toThrow(/unknown synset/);
    expect(() => selectClasses({ kind: 'indices', indices: [1, 1] })).toThrow(/twice/);
    expect(() => selectClasses({ kind: 'indices', indices: [] })).toThrow(/empty/);
  });
});

describe('resolveClass', () => {
  it('takes the synset and cross-checks numeric labels', () => {
    expect(resolveClass('n01443537', [{ value: 1, source: '.cls', convention: 'index' }])).toEqual({ ok: true, classIndex: 1, synset: 'n01443537' });
    expect(resolveClass('n01443537', [{ value: 2, source: 'image/class/label', convention: 'inception' }])).toMatchObject({ ok: true, classIndex: 1 });
    expect(resolveClass('n01443537', [{ value: 2, source: '.cls', convention: 'index' }])).toMatchObject({ ok: false, code: 'label-mismatch' });
    expect(resolveClass('n00000001', [])).toMatchObject({ ok: false, code: 'unknown-synset' });
  });

  it('uses numeric labels alone when there is no synset', () => {
    expect(resolveClass(undefined, [{ value: 7, source: '.cls', convention: 'index' }])).toEqual({ ok: true, classIndex: 7 });
    expect(resolveClass(undefined, [{ value: 1000, source: '.cls', convention: 'index' }])).toMatchObject({ ok: false, code: 'label-out-of-range' });
    expect(resolveClass(undefined, [{ value: 0, source: 'image/class/label', convention: 'inception' }])).toMatchObject({ ok: false, code: 'label-out-of-range' });
    expect(resolveClass(undefined, [])).toMatchObject({ ok: false, code: 'no-label' });
    expect(
      resolveClass(undefined, [
        { value: 3, source: '.cls', convention: 'index' },
        { value: 4, source: '.json', convention: 'index' },
      ]),
    ).toMatchObject({ ok: false, code: 'label-mismatch' });
  });
});
