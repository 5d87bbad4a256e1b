// Test helpers: the tfjs cpu backend with gradients (see platform/node.ts), once per test file, or
// the training tests' backend (useTrainBackend).
import { useNodeBackend, useNodeCpuBackend } from '../platform/node.ts';

export const useCpuBackend = useNodeCpuBackend;

/** Central finite difference of a scalar function of one coordinate of a Float32Array. */
export function centralDifference(f: (v: Float32Array) => number, v: Float32Array, i: number, h: number): number {
  const plus = Float32Array.from(v);
  const minus = Float32Array.from(v);
  plus[i] += h;
  minus[i] -= h;
  return (f(plus) - f(minus)) / (2 * h);
}

/**
 * The backend of the tests that train (learning, trainer, retrain, isometry): wasm, which is many
 * times faster, unless ISONAS_TEST_BACKEND=cpu forces the tfjs cpu backend (or wasm fails to start).
 */
export async function useTrainBackend(): Promise<void> {
  const forced = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.ISONAS_TEST_BACKEND;
  if (forced !== undefined && forced !== 'cpu' && forced !== 'wasm') throw new Error(`ISONAS_TEST_BACKEND must be cpu or wasm, got "${forced}"`);
  await useNodeBackend(forced === 'cpu' ? 'cpu' : forced === 'wasm' ? 'wasm' : undefined);
}
