// Pure shaping of two stored runs for the comparison view (RunCompare.tsx): their per-step loss
// and top-1 overlaid on one step axis (thinned evenly), the watched spectra of one module of both
// runs aligned by step, and the URL parameters that reproduce a comparison. No DOM, no React.
import type { ModuleTrack } from '../../core/isometry/watchSeries.ts';

export interface CurveOverlay {
  /** 1-based steps (step i + 1 = after step i), ascending. */
  steps: number[];
  /** Values of each run at those steps (NaN where the run has no entry). */
  a: number[];
  b: number[];
}

/** The two runs' per-step values (entry i = step i) on the union of their steps, thinned evenly to at most `max` points (the last step kept). */
export function overlayCurves(a: ArrayLike<number>, b: ArrayLike<number>, max = 300): CurveOverlay {
  if (!(Number.isInteger(max) && max >= 2)) throw new Error(`overlayCurves: max must be an integer >= 2, got ${max}`);
  const n = Math.max(a.length, b.length);
  const stride = Math.max(1, Math.ceil(n / max));
  const idx: number[] = [];
  for (let i = 0; i < n; i += stride) idx.push(i);
  if (n > 0 && idx[idx.length - 1] !== n - 1) idx.push(n - 1);
  const at = (v: ArrayLike<number>, i: number) => (i < v.length && Number.isFinite(v[i]) ? v[i] : NaN);
  return { steps: idx.map((i) => i + 1), a: idx.map((i) => at(a, i)), b: idx.map((i) => at(b, i)) };
}

export interface TrackAlignment {
  /** Union of the two tracks' steps (0-based step just taken), ascending. */
  steps: number[];
  /** Index into each track's frames at that step (-1 when the run has no frame there). */
  frameA: number[];
  frameB: number[];
  /** meanSq of each run at those steps (NaN where absent). */
  meanSqA: number[];
  meanSqB: number[];
  varSqA: number[];
  varSqB: number[];
}

/** Two tracks of the same module (either may be missing) on the union of their steps. */
export function alignTracks(a: ModuleTrack | null, b: ModuleTrack | null): TrackAlignment {
  const steps = [...new Set([...(a?.steps ?? []), ...(b?.steps ?? [])])].sort((x, y) => x - y);
  const index = (t: ModuleTrack | null) => {
    const m = new Map<number, number>();
    if (t) t.steps.forEach((s, i) => m.set(s, i));
    return steps.map((s) => m.get(s) ?? -1);
  };
  const frameA = index(a);
  const frameB = index(b);
  const col = (t: ModuleTrack | null, f: number[], c: 'meanSq' | 'varSq') => f.map((i) => (t && i >= 0 ? t[c][i] : NaN));
  return { steps, frameA, frameB, meanSqA: col(a, frameA, 'meanSq'), meanSqB: col(b, frameB, 'meanSq'), varSqA: col(a, frameA, 'varSq'), varSqB: col(b, frameB, 'varSq') };
}

/** What the URL says about a comparison (cmpA, cmpB, cmpLayer, cmpChoice). */
export interface CompareParams {
  runA: string | null;
  runB: string | null;
  layer: number | null;
  choice: number | null;
}

export function decodeCompare(search: string): CompareParams {
  const q = new URLSearchParams(search);
  const int = (name: string, min: number) => {
    const raw = q.get(name);
    if (raw === null || !/^-?\d+$/.test(raw.trim())) return null;
    const v = Number(raw);
    return v >= min ? v : null;
  };
  return { runA: q.get('cmpA') || null, runB: q.get('cmpB') || null, layer: int('cmpLayer', 0), choice: int('cmpChoice', -1) };
}

/** `search` with the comparison's parameters set (null ones removed), every other parameter kept. */
export function encodeCompare(p: CompareParams, search: string): string {
  const q = new URLSearchParams(search);
  const put = (name: string, v: string | number | null) => (v === null ? q.delete(name) : q.set(name, String(v)));
  put('cmpA', p.runA);
  put('cmpB', p.runB);
  put('cmpLayer', p.layer);
  put('cmpChoice', p.choice);
  const s = q.toString();
  return s ? `?${s}` : '';
}
