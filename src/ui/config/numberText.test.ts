import { describe, expect, it } from 'vitest';
import { intText, numberText, optionalNumberText } from './numberText.ts';

describe('number text parsers', () => {
  it('intText takes integers in range (trimmed) and names the range otherwise', () => {
    const p = intText(1, 64);
    expect(p(' 4 ')).toEqual({ value: 4 });
    expect(p('64')).toEqual({ value: 64 });
    for (const bad of ['', '0', '65', '2.5', 'x', '1e400']) expect(p(bad)).toEqual({ error: 'a whole number from 1 to 64' });
    expect(intText(0, 9, 'an integer >= 0')('-1')).toEqual({ error: 'an integer >= 0' });
  });
  it('numberText honours exclusive bounds; optionalNumberText maps empty text to null', () => {
    const frac = numberText({ min: 0, max: 1, maxExclusive: true, integer: false });
    expect(frac('0')).toEqual({ value: 0 });
    expect(frac('0.25')).toEqual({ value: 0.25 });
    expect(frac('1')).toEqual({ error: 'a number at least 0 and below 1' });
    const lr = optionalNumberText({ min: 0, max: 10, minExclusive: true, integer: false, message: 'a number in (0, 10]' });
    expect(lr('')).toEqual({ value: null });
    expect(lr('  ')).toEqual({ value: null });
    expect(lr('0')).toEqual({ error: 'a number in (0, 10]' });
    expect(lr('10')).toEqual({ value: 10 });
    expect(lr('NaN')).toEqual({ error: 'a number in (0, 10]' });
  });
});
