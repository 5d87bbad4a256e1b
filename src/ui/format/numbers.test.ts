import { describe, expect, it } from 'vitest';
import { describeRange, formatCount, formatDuration, formatInt, formatPercent, formatSig } from './numbers.ts';

describe('number formatting', () => {
  it('formatSig keeps 3 significant figures with thousands separators', () => {
    expect(formatSig(0.123456)).toBe('0.123');
    expect(formatSig(1234.5)).toBe('1,230');
    expect(formatSig(-9.996)).toBe('-10.0');
    expect(formatSig(1)).toBe('1.00');
    expect(formatSig(0.000123456)).toBe('0.000123');
    expect(formatSig(2.5e-6)).toBe('2.50e-6');
    expect(formatSig(0)).toBe('0');
    expect(formatSig(Number.NaN)).toBe('–');
    // the shown figure round-trips to within half a unit of the third digit
    for (const v of [3.14159, 271.828, 0.0577215, 16180.3]) {
      const back = Number(formatSig(v).replace(/,/g, ''));
      const unit = 10 ** (Math.floor(Math.log10(Math.abs(v))) - 2);
      expect(Math.abs(back - v)).toBeLessThanOrEqual(unit / 2 + 1e-12);
    }
  });
  it('formatInt and formatCount', () => {
    expect(formatInt(4294967295)).toBe('4,294,967,295');
    expect(formatCount(471822240)).toBe('472 M');
    expect(formatCount(1500)).toBe('1.50 k');
    expect(formatCount(999_999)).toBe('1.00 M');
    expect(formatCount(12)).toBe('12');
    expect(formatCount(3.2e9)).toBe('3.20 G');
  });
  it('formatPercent and formatDuration', () => {
    expect(formatPercent(0.4567)).toBe('45.7 %');
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(0.01234)).toBe('1.23 %');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(5400)).toBe('1.5 h');
    expect(formatDuration(null)).toBe('–');
  });
  it('describeRange words the rule of a box', () => {
    expect(describeRange({ min: 8, max: 512, integer: true })).toBe('a whole number from 8 to 512');
    expect(describeRange({ min: 0, max: 4, integer: false, minExclusive: true })).toBe('a number above 0 and at most 4');
    expect(describeRange({ min: 0, max: 1, integer: false, maxExclusive: true })).toBe('a number at least 0 and below 1');
  });
});
