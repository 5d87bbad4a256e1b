// The top bar's backend badge: its text ("wasm · 8 threads", "webgpu · nvidia ampere") and, for
// wasm, the tooltip saying why it runs on that many threads. Pure (unit-tested).

/** '1 thread', '8 threads'. */
export function threadsText(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'thread' : 'threads'}`;
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

/**
 * Why wasm runs on `threads` threads. `isolated` is the page's `crossOriginIsolated`: without it
 * there is no SharedArrayBuffer, so the engine worker loads the single-threaded build
 * (src/worker/wasmThreads.ts).
 */
export function wasmThreadsWhy(threads: number, isolated: boolean): string {
  if (threads > 1) return `wasm runs its kernels on ${threadsText(threads)}: the page is cross-origin isolated, so the threaded build is used.`;
  if (!isolated) {
    return 'wasm runs on 1 thread: the page is not cross-origin isolated (it is served without the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers), so the single-threaded build is used.';
  }
  return 'wasm runs on 1 thread: the page is cross-origin isolated, but the threaded build started only one thread on this device.';
}
