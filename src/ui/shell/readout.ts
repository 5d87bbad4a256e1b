// Top-bar readouts for people: 3 significant figures, thousands separators, units. Pure.

/** `v` with 3 significant figures and thousands separators ('1,230', '0.0123'); '–' when not finite. */
export function sig3(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))));
  const rounded = Number(v.toPrecision(3));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A duration for an ETA: '45 s', '12 min', '1.5 h'; '–' when unknown. */
export function duration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec) || sec < 0) return '–';
  if (sec < 60) return `${Math.round(sec)} s`;
  if (sec < 3600) return `${Math.round(sec / 60)} min`;
  return `${sig3(sec / 3600)} h`;
}

/**
 * True while a run is warming up: running, with no steady step timed yet (the worker sends NaN
 * images/s and ETA until then: src/worker/stepTimes.ts). Before the first step event of a fresh
 * run the rate is null, which also reads as warming up.
 */
export function isWarming(state: string, imagesPerSec: number | null | undefined): boolean {
  return state === 'running' && !(typeof imagesPerSec === 'number' && Number.isFinite(imagesPerSec));
}
