// Squared singular values of a Jacobian and their summary: the paper's first two moments (mean and
// variance of the squared singular values), min, max, and a histogram on FIXED log-spaced bins so
// two modules or two initialisations can be overlaid bin for bin. Pure JavaScript, float64.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { bracket } from '../bracket.ts';
import { DEFAULT_HISTOGRAM, histogramEdges, type HistogramSpec } from './bins.ts';

export { DEFAULT_HISTOGRAM, histogramEdges, type HistogramSpec };

/**
 * Eigenvalues of a real symmetric matrix (row-major n x n, only the lower triangle is read),
 * ascending, float64. Householder tridiagonalisation without accumulating the transformations,
 * then the implicit QL algorithm with Wilkinson shifts (EISPACK tred1 + tql1, as in Numerical
 * Recipes' tred2 / tqli with the eigenvector work dropped): about (4/3) n^3 flops, several times
 * faster than a full eigendecomposition (ml-matrix's EVD computes the vectors too). Checked against
 * known spectra and against ml-matrix in spectrum.test.ts.
 */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  if (a.length !== n * n) throw new Error(`symmetricEigenvalues: ${a.length} values is not ${n} x ${n}`);
  const z = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  // Tridiagonalise (lower triangle of z is overwritten).
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const zi = i * n;
    let h = 0;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k < i; k++) scale += Math.abs(z[zi + k]);
      if (scale === 0) e[i] = z[zi + l];
      else {
        for (let k = 0; k < i; k++) {
          z[zi + k] /= scale;
          h += z[zi + k] * z[zi + k];
        }
        let f = z[zi + l];
        let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        z[zi + l] = f - g;
        f = 0;
        for (let j = 0; j < i; j++) {
          const zj = j * n;
          g = 0;
          for (let k = 0; k <= j; k++) g += z[zj + k] * z[zi + k];
          for (let k = j + 1; k < i; k++) g += z[k * n + j] * z[zi + k];
          e[j] = g / h;
          f += e[j] * z[zi + j];
        }
        const hh = f / (h + h);
        for (let j = 0; j < i; j++) {
          const zj = j * n;
          f = z[zi + j];
          g = e[j] - hh * f;
          e[j] = g;
          for (let k = 0; k <= j; k++) z[zj + k] -= f * e[k] + g * z[zi + k];
        }
      }
    } else e[i] = z[zi + l];
    d[i] = h;
  }
  for (let i = 0; i < n; i++) d[i] = z[i * n + i];
  // Implicit QL on the tridiagonal (d, e).
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  const EPS = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= EPS * dd) break;
      }
      if (m !== l) {
        if (iter++ === 60) throw new Error('symmetricEigenvalues: QL did not converge');
        let g = (d[l + 1] - d[l]) / (2 * e[l]);
        let r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        for (i = m - 1; i >= l; i--) {
          const f = s * e[i];
          const b = c * e[i];
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1] -= p;
            e[m] = 0;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
        }
        if (r === 0 && i >= l) continue;
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
  return d.sort();
}

/** Reference: ml-matrix's symmetric eigendecomposition (tred2 + tql2 with vectors), ascending. */
export function symmetricEigenvaluesMlMatrix(a: ArrayLike<number>, n: number): Float64Array {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from({ length: n }, (_, j) => a[i * n + j]));
  return Float64Array.from(new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues).sort();
}

/**
 * The Gram matrix of the smaller side of a row-major rows x cols matrix J, in float64:
 * J J^T (rows x rows) when rows <= cols, else J^T J (cols x cols). Both have the same non-zero
 * eigenvalues (the squared singular values); the smaller one has exactly min(rows, cols) of them.
 */
export function smallerGram(j: ArrayLike<number>, rows: number, cols: number): { gram: Float64Array; n: number } {
  if (j.length !== rows * cols) throw new Error(`smallerGram: ${j.length} values is not ${rows} x ${cols}`);
  const jd = Float64Array.from(j);
  if (rows <= cols) {
    const n = rows;
    const g = new Float64Array(n * n);
    for (let r = 0; r < n; r++) {
      const ro = r * cols;
      for (let s = r; s < n; s++) {
        const so = s * cols;
        let acc = 0;
        for (let k = 0; k < cols; k++) acc += jd[ro + k] * jd[so + k];
        g[r * n + s] = acc;
        g[s * n + r] = acc;
      }
    }
    return { gram: g, n };
  }
  // J^T J: accumulate row outer products (cache-friendly on row-major J).
  const n = cols;
  const g = new Float64Array(n * n);
  for (let r = 0; r < rows; r++) {
    const ro = r * cols;
    for (let a = 0; a < n; a++) {
      const va = jd[ro + a];
      if (va === 0) continue;
      const go = a * n;
      for (let b = a; b < n; b++) g[go + b] += va * jd[ro + b];
    }
  }
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) g[b * n + a] = g[a * n + b];
  return { gram: g, n };
}

/**
 * The min(rows, cols) squared singular values of J, ascending. Rounding can make a zero
 * eigenvalue slightly negative; those are clamped to 0.
 */
export function squaredSingularValues(j: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const { gram, n } = smallerGram(j, rows, cols);
  return symmetricEigenvalues(gram, n).map((v) => Math.max(0, v));
}

export interface SpectrumStats {
  /** Mean of the squared singular values (first moment; 1 for an isometry). */
  meanSq: number;
  /** Population variance of the squared singular values (second central moment; 0 for an isometry). */
  varSq: number;
  /** Smallest and largest squared singular value. */
  min: number;
  max: number;
  /** Number of squared singular values, min(rows, cols). */
  count: number;
}

export function spectrumStats(sq: ArrayLike<number>): SpectrumStats {
  const n = sq.length;
  if (n === 0) return { meanSq: NaN, varSq: NaN, min: NaN, max: NaN, count: 0 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    sum += sq[i];
    if (sq[i] < min) min = sq[i];
    if (sq[i] > max) max = sq[i];
  }
  const mean = sum / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (sq[i] - mean) ** 2;
  return { meanSq: mean, varSq: v / n, min, max, count: n };
}

export interface Histogram {
  /** Bin edges, ascending; bin i is [edges[i], edges[i+1]). */
  edges: number[];
  counts: number[];
  /** Values below edges[0] (zeros included) and at or above the last edge. */
  under: number;
  over: number;
}

/** Histogram of values on fixed edges (see histogramEdges). */
export function histogram(values: ArrayLike<number>, spec: HistogramSpec = DEFAULT_HISTOGRAM): Histogram {
  const edges = histogramEdges(spec);
  const counts = new Array<number>(edges.length - 1).fill(0);
  let under = 0;
  let over = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= edges[0])) under++;
    else if (v >= edges[edges.length - 1]) over++;
    else counts[bracket(edges, v)]++;
  }
  return { edges, counts, under, over };
}
