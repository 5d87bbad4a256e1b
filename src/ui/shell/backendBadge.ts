// The top bar's backend badge: its text ("wasm · 8 threads", "webgpu · nvidia ampere") and, for
// wasm, the tooltip saying why it runs on that many threads. Pure (unit-tested).

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** '1 thread', '8 threads'. */
export function threadsText(n: number): string {
  return count(n, 'thread', 'threads');
}

export interface BadgeInputs {
  status: 'starting' | 'smoke' | 'done' | 'failed';
  /** The selected backend, null until the worker answers. */
  backend: string | null;
  /** The WebGPU adapter's name (webgpu only), null when unknown. */
  adapter: string | null;
  /** wasm only: the threads its kernels run on (the worker's `ready.wasmThreads`). */
  wasmThreads?: number;
}

export function backendBadgeText(b: BadgeInputs): string {
  if (b.status === 'failed') return 'engine failed';
  if (b.backend === null) return 'engine starting…';
  const detail = b.backend === 'wasm' && b.wasmThreads !== undefined ? threadsText(b.wasmThreads) : b.adapter;
  return detail ? `${b.backend} · ${detail}` : b.backend;
}

/** tfjs 4.22's XNNPACK thread count under cross-origin isolation: half the logical cores, 1 to 8. */
export function expectedWasmThreads(logicalCores: number): number {
  return Math.min(8, Math.max(1, Math.floor(logicalCores / 2)));
}

/**
 * Why wasm runs on `threads` threads. `isolated` is the page's `crossOriginIsolated`: without it
 * there is no SharedArrayBuffer, so the engine worker loads the single-threaded build
 * (src/worker/wasmThreads.ts). With it, tfjs runs half the logical cores (`cores`, the page's
 * navigator.hardwareConcurrency), 1 to 8.
 */
export function wasmThreadsWhy(threads: number, isolated: boolean, cores?: number): string {
  if (!isolated) {
    return `wasm runs on ${threadsText(threads)}: the page is not cross-origin isolated (it is served without the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers), so the single-threaded build is used.`;
  }
  const coresText = cores === undefined ? "this device's logical cores" : `this device's ${count(cores, 'logical core', 'logical cores')}`;
  return `wasm runs on ${threadsText(threads)}: the page is cross-origin isolated, so the threaded build is used, with half of ${coresText} (1 to 8 threads).`;
}
