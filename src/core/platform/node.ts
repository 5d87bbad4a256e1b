// Node set-up for the CLI, benchmarks and tests: a tfjs backend (wasm or cpu) with every gradient
// registered. tfjs-core alone registers no gradients; in Node its ESM file that does
// (dist/register_all_gradients) cannot be loaded (directory imports), while the full
// @tensorflow/tfjs Node bundle registers them all, into the engine and registries that tfjs
// keeps on the global object and so shares with @tensorflow/tfjs-core. The browser worker
// imports tfjs-core's register_all_gradients instead. The wasm backend's missing convolution
// gradient kernels are bridged by wasmGrads.ts (installed here, after tfjs's gradients).
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmConvGrads } from './wasmGrads.ts';

export type NodeBackend = 'wasm' | 'cpu';
export const NODE_BACKENDS: readonly NodeBackend[] = ['wasm', 'cpu'];

installWasmConvGrads();

export async function useNodeCpuBackend(): Promise<void> {
  if (tf.getBackend() !== 'cpu') {
    const ok = await tf.setBackend('cpu');
    if (!ok) throw new Error('tfjs cpu backend failed to initialise');
  }
  await tf.ready();
  // The cpu backend prints a multi-line "install tfjs-node" banner to stderr on first use in
  // Node; the CLI's contract is one line per error, so mark the banner as shown.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
}

/**
 * Switch to the wasm backend (SIMD; single-threaded in Node). tf.setBackend answers false rather
 * than throwing when the WebAssembly module cannot start; so does this.
 */
export async function useNodeWasmBackend(): Promise<boolean> {
  if (tf.getBackend() === 'wasm') return true;
  let ok = false;
  try {
    ok = await tf.setBackend('wasm');
  } catch {
    ok = false;
  }
  if (ok) await tf.ready();
  return ok;
}

/**
 * The backend the CLI, bench and training tests run on: `requested` exactly (an error if it does
 * not start), or by default wasm when it initialises, else cpu. Returns the backend in use and,
 * when the default fell back, why (for one stderr line).
 */
export async function useNodeBackend(requested?: NodeBackend): Promise<{ backend: NodeBackend; note?: string }> {
  if (requested === 'cpu') {
    await useNodeCpuBackend();
    return { backend: 'cpu' };
  }
  if (await useNodeWasmBackend()) return { backend: 'wasm' };
  if (requested === 'wasm') throw new Error('tfjs wasm backend failed to initialise');
  await useNodeCpuBackend();
  return { backend: 'cpu', note: 'wasm backend did not initialise; running on the tfjs cpu backend' };
}

/**
 * Threads the active backend computes with: 1. tfjs's cpu backend is single-threaded JavaScript,
 * and the wasm backend runs its single-threaded SIMD build in Node: tfjs 4.22 turns
 * WASM_HAS_MULTITHREAD_SUPPORT off under Node, and forcing it on fails at start-up because the
 * threaded build spawns its pthread workers from blob: URLs, which Node's worker_threads refuse
 * (ERR_WORKER_PATH). docs/engine.md, "Threads".
 */
export function backendThreads(): number {
  return 1;
}

let threadsAsked: number | null = null;

/** Record the thread count asked for (`--threads N`, default the core count); see backendThreads. */
export function requestThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`threads must be an integer >= 1, got ${n}`);
  threadsAsked = n;
}

/** The engine a Node command runs on, for its JSON: backend, threads used and threads asked for. */
export function engineInfo(): { backend: string; threads: number; threadsRequested: number | null } {
  return { backend: tf.getBackend(), threads: backendThreads(), threadsRequested: threadsAsked };
}
