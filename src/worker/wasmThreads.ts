// Multi-threaded SIMD wasm in the engine worker when the page is cross-origin isolated (the
// dev server and `vite preview` send COOP same-origin + COEP require-corp; docs/app.md,
// "Deploying"). tfjs-backend-wasm starts its pthread workers with `new Worker(blob:...)`, which
// the CSP (worker-src 'self') refuses; here those constructions are sent to the same-origin
// script that scripts/wasmThreads.ts emits (tfjs's own pthread script, importing the Emscripten
// factory from this origin). Without isolation (no SharedArrayBuffer) the single-threaded SIMD
// build runs, as before.
import * as tf from '@tensorflow/tfjs-core';

/** Path of the pthread script under the app's base URL (scripts/wasmThreads.ts PTHREAD_SCRIPT). */
const PTHREAD_SCRIPT = 'tfjs-wasm/pthread.js';

type WorkerCtor = new (url: string | URL, options?: WorkerOptions) => Worker;

/**
 * Choose the wasm build for this worker: threaded SIMD when `crossOriginIsolated` is true (and
 * nested workers exist), else single-threaded SIMD. Returns whether threads are on. Call before
 * the wasm backend initialises.
 */
export function configureWasmThreads(scope: { crossOriginIsolated?: boolean; Worker?: WorkerCtor; location: { href: string } }, baseUrl = '/'): boolean {
  const threaded = scope.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined' && typeof scope.Worker === 'function';
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threaded);
  if (!threaded) return false;
  const Base = scope.Worker as WorkerCtor;
  const pthreadUrl = new URL(`${baseUrl}${PTHREAD_SCRIPT}`, scope.location.href).href;
  // Only tfjs's pthread workers are made from blob: URLs in this worker.
  scope.Worker = class extends Base {
    constructor(url: string | URL, options?: WorkerOptions) {
      const u = String(url);
      if (u.startsWith('blob:')) URL.revokeObjectURL(u);
      super(u.startsWith('blob:') ? pthreadUrl : url, options);
    }
  };
  return true;
}
