// Numbers for people: 3 significant figures, thousands separators, units. The one place the
// panels and charts turn numbers into text (pure; unit-tested in numbers.test.ts).

const EN = 'en-US';

/** An integer with thousands separators: 4294967295 -> "4,294,967,295". */
export function formatInt(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString(EN);
}

/**
 * A number to `digits` significant figures (default 3), with thousands separators and no
 * exponent between 1e-4 and 1e15: 0.123456 -> "0.123", 1234.5 -> "1,230", 2.5e-6 -> "2.50e-6".
 */
export function formatSig(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return '–';
  if (n === 0) return '0';
  const a = Math.abs(n);
  if (a < 1e-4 || a >= 1e15) {
    const [m, e] = n.toExponential(digits - 1).split('e');
    return `${m}e${Number(e)}`;
  }
  const rounded = Number(n.toPrecision(digits));
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(rounded))));
  return rounded.toLocaleString(EN, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

const SI: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** A count with an SI prefix at 3 significant figures: 471822240 -> "472 M", 1500 -> "1.50 k", 12 -> "12". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const a = Math.abs(n);
  for (const [scale, prefix] of SI) if (a >= scale * 0.9995) return `${formatSig(n / scale)} ${prefix}`;
  return Number.isInteger(n) ? formatInt(n) : formatSig(n);
}

/** A 0..1 fraction as a percentage: 0.4567 -> "45.7 %" (3 significant figures, at most 1 decimal under 100). */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '–';
  const p = 100 * fraction;
  const decimals = Math.abs(p) >= 100 ? 0 : Math.abs(p) >= 10 ? 1 : 2;
  return `${p.toFixed(decimals)} %`;
}

/** Seconds as "42 s", "3 min 05 s", "1.5 h". */
export function formatDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec) || sec < 0) return '–';
  if (sec < 60) return `${sec.toFixed(0)} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${String(Math.round(sec % 60) % 60).padStart(2, '0')} s`;
  return `${formatSig(sec / 3600, 2)} h`;
}

/** "a number" -> "a whole number from 8 to 512" and the like: the rule of a number box in words. */
export function describeRange(rule: { min: number; max: number; integer: boolean; minExclusive?: boolean; maxExclusive?: boolean }): string {
  const num = (v: number) => (rule.integer ? formatInt(v) : String(v));
  const what = rule.integer ? 'a whole number' : 'a number';
  if (!rule.minExclusive && !rule.maxExclusive) return `${what} from ${num(rule.min)} to ${num(rule.max)}`;
  const lo = rule.minExclusive ? `above ${num(rule.min)}` : `at least ${num(rule.min)}`;
  const hi = rule.maxExclusive ? `below ${num(rule.max)}` : `at most ${num(rule.max)}`;
  return `${what} ${lo} and ${hi}`;
}
