import { describe, expect, it } from 'vitest';
import { describeSplit } from './describeSplit.ts';

describe('describeSplit', () => {
  it('names the validation files, the fraction, or none', () => {
    expect(describeSplit({ kind: 'files', valFiles: 4, valBytes: 10, trainFiles: 1, shown: ['a', 'b', 'c', 'd'] })).toBe('validation: the 4 files named as such (a, b, c, ...); training: the other 1 file');
    expect(describeSplit({ kind: 'fraction', fraction: 0.01 })).toBe('validation: 1% of the samples, held out by key hash');
    expect(describeSplit({ kind: 'fraction', fraction: 0.2, note: 'why' })).toBe('validation: 20% of the samples, held out by key hash (why)');
    expect(describeSplit({ kind: 'none' })).toBe('validation: none (held-out fraction 0)');
  });
});
