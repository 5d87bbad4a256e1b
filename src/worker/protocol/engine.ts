// The engine itself: backend selection (`init` -> `ready`), the fixed smoke computation
// (`smoke` -> `smokeResult`) and the error event that answers any failed command.

/** tfjs backends the lab knows how to select, named as tfjs registers them. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/**
 * Preference order used when the page does not ask for another one. A software GPU adapter
 * (SwiftShader, llvmpipe) is skipped for webgpu / webgl whenever wasm comes later in the order.
 */
export const DEFAULT_BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(name: string): name is BackendName {
  return name === 'webgpu' || name === 'webgl' || name === 'wasm' || name === 'cpu';
}

/** A backend that was tried (or skipped) before the active one, and why it was not used. */
export interface BackendFallback {
  backend: BackendName;
  reason: string;
}

/** Outcome of backend selection: the active backend plus every earlier choice that failed. */
export interface BackendChoice {
  backend: BackendName;
  fallbacks: BackendFallback[];
}


/** Select the first backend of `backends` (in order) that initialises; answered by `ready`. */
export interface InitCommand {
  type: 'init';
  id: number;
  backends: BackendName[];
  /** Fused BN training where the backend has it (webgpu, webgl); `?fusedBn=off` turns it off. Absent = on. */
  fusedBn?: 'on' | 'off';
}

/**
 * Run the fixed smoke computation (see SMOKE_* below); answered by `smokeResult`.
 * Requires a prior `init`.
 */
export interface SmokeCommand {
  type: 'smoke';
  id: number;
}
export interface ReadyEvent extends BackendChoice {
  type: 'ready';
  id: number;
  /** wasm only: threads its kernels run on (more than 1 when the page is cross-origin isolated). */
  wasmThreads?: number;
}

/** Per-output-channel moments of the smoke convolution (tf.moments over axes [0, 1, 2]). */
export interface SmokeResultEvent {
  type: 'smokeResult';
  id: number;
  backend: BackendName;
  /** Shape of the conv2d output, [1, 6, 6, 4]. */
  outShape: number[];
  /** Length SMOKE_OUT_CHANNELS. */
  mean: Float32Array;
  /** Population variance (divides by N, as tf.moments does); length SMOKE_OUT_CHANNELS. */
  variance: Float32Array;
}

/** A command failed; `id` is null when the failure is not tied to a command. */
export interface EngineErrorEvent {
  type: 'error';
  id: number | null;
  message: string;
}
// ---------------------------------------------------------------------------------------------
// The smoke computation, fixed so any backend (and the e2e test, in plain JS) can reproduce it:
//   input  x: [1, 8, 8, 3] (NHWC), x[flat k] = ((7k) mod 11 - 5) / 5
//   filter w: [3, 3, 3, 4] (HWIO), w[flat k] = ((5k) mod 13 - 6) / 6
//   y = conv2d(x, w, strides 1, padding 'valid')  -> [1, 6, 6, 4]
//   {mean, variance} = tf.moments(y, [0, 1, 2])   -> [4] each

export const SMOKE_INPUT_SHAPE = [1, 8, 8, 3] as const;
export const SMOKE_FILTER_SHAPE = [3, 3, 3, 4] as const;
export const SMOKE_OUT_CHANNELS = 4;
