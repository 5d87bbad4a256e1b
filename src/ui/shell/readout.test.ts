import { describe, expect, it } from 'vitest';
import { duration, isWarming, sig3 } from './readout.ts';

describe('sig3', () => {
  it('keeps three significant figures with thousands separators', () => {
    expect(sig3(1234567)).toBe('1,230,000');
    expect(sig3(1234.5)).toBe('1,230');
    expect(sig3(12.345)).toBe('12.3');
    expect(sig3(0.012345)).toBe('0.0123');
    expect(sig3(-2.5)).toBe('-2.5');
    expect(sig3(0)).toBe('0');
  });
  it('shows a dash for missing or non-finite values', () => {
    expect(sig3(null)).toBe('–');
    expect(sig3(Number.NaN)).toBe('–');
    expect(sig3(Infinity)).toBe('–');
  });
});

describe('duration', () => {
  it('picks a unit', () => {
    expect(duration(44.6)).toBe('45 s');
    expect(duration(125)).toBe('2 min');
    expect(duration(5400)).toBe('1.5 h');
    expect(duration(null)).toBe('–');
    expect(duration(-1)).toBe('–');
  });
});

describe('isWarming', () => {
  it('is the running state without a steady rate yet', () => {
    expect(isWarming('running', Number.NaN)).toBe(true);
    expect(isWarming('running', null)).toBe(true);
    expect(isWarming('running', 12.5)).toBe(false);
    expect(isWarming('paused', Number.NaN)).toBe(false);
    expect(isWarming('done', null)).toBe(false);
  });
});
