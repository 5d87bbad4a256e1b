// Thin Householder QR of a tall matrix, in float64. Used by the orthogonal initialisers; small on
// purpose (no pivoting, no blocking): weights are at most a few thousand on a side.

export interface ThinQR {
  /** m x n, row-major, orthonormal columns (Q^T Q = I). */
  q: Float64Array;
  /** n x n, row-major, upper triangular. A = Q R. */
  r: Float64Array;
}

/**
 * A = Q R for a row-major m x n matrix `a` with m >= n (a is not modified).
 * Householder reflections H_k = I - 2 v v^T with v chosen as x - alpha e1, alpha = -sign(x0)|x|
 * (sign(0) = +1), which avoids cancellation. R's diagonal signs are therefore arbitrary; callers
 * that need a Haar-distributed Q fix them (see orthogonal.ts).
 */
export function householderQR(a: Float64Array, m: number, n: number): ThinQR {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || n < 1) {
    throw new Error(`householderQR: m and n must be positive integers, got m=${m}, n=${n}`);
  }
  if (m < n) throw new Error(`householderQR: needs a tall matrix (m >= n), got ${m} x ${n}`);
  if (a.length !== m * n) throw new Error(`householderQR: expected ${m * n} entries for ${m} x ${n}, got ${a.length}`);

  // Work on the transpose: row j of `at` is column j of A, so each reflection is a contiguous
  // dot product + axpy per column (several times faster in JS than strided access).
  const at = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j];
  const vs: Float64Array[] = []; // unit Householder vectors, v_k has length m - k (empty = identity)
  const r = new Float64Array(n * n);

  for (let k = 0; k < n; k++) {
    const len = m - k;
    const col = k * m + k; // start of x = A[k:m, k] in `at`
    let norm2 = 0;
    for (let i = 0; i < len; i++) norm2 += at[col + i] * at[col + i];
    const norm = Math.sqrt(norm2);
    const x0 = at[col];
    const alpha = x0 >= 0 ? -norm : norm;
    // v = x - alpha e1; |v|^2 = norm2 - 2 alpha x0 + alpha^2 = 2 norm (norm + |x0|)
    const vnorm2 = 2 * norm * (norm + Math.abs(x0));
    if (vnorm2 === 0) {
      vs.push(new Float64Array(0)); // column already zero on and below the diagonal
    } else {
      const v = new Float64Array(len);
      const inv = 1 / Math.sqrt(vnorm2);
      v[0] = (x0 - alpha) * inv;
      for (let i = 1; i < len; i++) v[i] = at[col + i] * inv;
      for (let j = k + 1; j < n; j++) reflectRow(at, j * m + k, v);
      at[col] = alpha;
      vs.push(v);
    }
    for (let j = k; j < n; j++) r[k * n + j] = at[j * m + k];
  }

  // Q = H_0 H_1 ... H_{n-1} [I_n; 0], built by applying the reflections in reverse order to the
  // columns of [I_n; 0] (rows of `qt`), then transposed to row-major m x n.
  const qt = new Float64Array(n * m);
  for (let j = 0; j < n; j++) qt[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    if (v.length === 0) continue;
    // columns j < k of [I;0] are untouched by H_k..H_{n-1} on rows >= k (they are e_j, j < k)
    for (let j = k; j < n; j++) reflectRow(qt, j * m + k, v);
  }
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) q[i * n + j] = qt[j * m + i];
  return { q, r };
}

/** In place: y -= 2 v (v . y) for the segment y = buf[off : off + v.length]. Unrolled by 4 (hot loop). */
function reflectRow(buf: Float64Array, off: number, v: Float64Array): void {
  const len = v.length;
  const len4 = len - (len % 4);
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let i = 0;
  for (; i < len4; i += 4) {
    d0 += v[i] * buf[off + i];
    d1 += v[i + 1] * buf[off + i + 1];
    d2 += v[i + 2] * buf[off + i + 2];
    d3 += v[i + 3] * buf[off + i + 3];
  }
  for (; i < len; i++) d0 += v[i] * buf[off + i];
  const d = 2 * (d0 + d1 + d2 + d3);
  if (d === 0) return;
  for (i = 0; i < len4; i += 4) {
    buf[off + i] -= d * v[i];
    buf[off + i + 1] -= d * v[i + 1];
    buf[off + i + 2] -= d * v[i + 2];
    buf[off + i + 3] -= d * v[i + 3];
  }
  for (; i < len; i++) buf[off + i] -= d * v[i];
}
