// Parsers for the panels' number boxes (CheckedInput): text -> a value, or what is wrong with it.
// Pure (unit-tested). An error is what the value must be; CheckedInput prefixes the box's label.
import { describeRange } from '../format/numbers.ts';

export type Parsed<T> = { value: T } | { error: string };

export interface NumberTextRule {
  /** Inclusive bounds; `minExclusive` / `maxExclusive` make them strict. */
  min: number;
  max: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer: boolean;
  /** What the value must be, after "<label> must be" (default: the range in words). */
  message?: string;
}

/** A number within the rule, from trimmed text. */
export function numberText(rule: NumberTextRule): (text: string) => Parsed<number> {
  return (text) => {
    const t = text.trim();
    const v = Number(t);
    const ok =
      t !== '' &&
      Number.isFinite(v) &&
      (!rule.integer || Number.isInteger(v)) &&
      (rule.minExclusive ? v > rule.min : v >= rule.min) &&
      (rule.maxExclusive ? v < rule.max : v <= rule.max);
    return ok ? { value: v } : { error: rule.message ?? describeRange(rule) };
  };
}

/** The same, with empty text meaning null (a box whose placeholder shows the default). */
export function optionalNumberText(rule: NumberTextRule): (text: string) => Parsed<number | null> {
  const parse = numberText(rule);
  return (text) => (text.trim() === '' ? { value: null } : parse(text));
}

/** An integer in min..max; the message says so unless given. */
export function intText(min: number, max: number, message?: string): (text: string) => Parsed<number> {
  return numberText({ min, max, integer: true, message });
}
