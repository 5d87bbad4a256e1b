// Binary search over an ascending list: the index i with xs[i] <= x < xs[i + 1] (clamped to
// 0 .. n - 2 outside the list; 0 for a list of one). Used for histogram bins and nearest points.
export function bracket(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = Math.max(0, xs.length - 1);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}
