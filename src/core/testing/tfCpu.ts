// Test helper: the tfjs cpu backend with gradients (see platform/node.ts), once per test file.
import { useNodeCpuBackend } from '../platform/node.ts';

export const useCpuBackend = useNodeCpuBackend;

/** Central finite difference of a scalar function of one coordinate of a Float32Array. */
export function centralDifference(f: (v: Float32Array) => number, v: Float32Array, i: number, h: number): number {
  const plus = Float32Array.from(v);
  const minus = Float32Array.from(v);
  plus[i] += h;
  minus[i] -= h;
  return (f(plus) - f(minus)) / (2 * h);
}
