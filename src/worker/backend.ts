// Backend selection: try tfjs backends in a preferred order and keep the first that works.
//
// Pure with respect to its inputs: the tfjs engine and the environment probes are passed in, so
// this runs unchanged in the engine worker, on the main thread, or in a Node test with fakes.
// No DOM, no React.

import type { BackendChoice, BackendFallback, BackendName } from './protocol/index.ts';
import { errorMessage } from '../core/errors.ts';

/** The slice of `@tensorflow/tfjs-core` that selection uses (the tf namespace satisfies it). */
export interface BackendEngine {
  /** Non-null when a backend of that name has been registered (its package was imported). */
  findBackendFactory(name: string): unknown;
  /** Resolves false (it does not throw) when the backend's factory fails. */
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
}

/**
 * Optional environment check run before `setBackend(name)`. Returns a reason to skip `name`
 * (e.g. "navigator.gpu is undefined"), or null to go ahead. Lets the fallback say *why*, since
 * `setBackend` itself only answers false.
 */
export type BackendProbe = (name: BackendName) => Promise<string | null>;

/**
 * Tries each backend of `order` in turn: probe, `setBackend` (checking its boolean), then
 * `ready()`. Returns the first that succeeds and, for every earlier one, why it was passed over.
 * Throws when none succeeds; the error lists each backend's reason.
 */
export async function selectBackend(
  order: readonly BackendName[],
  engine: BackendEngine,
  probe: BackendProbe = async () => null,
): Promise<BackendChoice> {
  if (order.length === 0) throw new Error('selectBackend: empty backend order');
  const fallbacks: BackendFallback[] = [];
  for (const backend of order) {
    const reason = await tryBackend(backend, engine, probe);
    if (reason === null) return { backend, fallbacks };
    fallbacks.push({ backend, reason });
  }
  const why = fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ');
  throw new Error(`no tfjs backend could be initialised (${why})`);
}

/** Null when `backend` is now active; otherwise the reason it is not. */
async function tryBackend(
  backend: BackendName,
  engine: BackendEngine,
  probe: BackendProbe,
): Promise<string | null> {
  if (engine.findBackendFactory(backend) == null) {
    return `not registered (package not imported, or it found no support at import time)`;
  }
  try {
    const skip = await probe(backend);
    if (skip !== null) return skip;
    const ok = await engine.setBackend(backend);
    if (!ok) return `tf.setBackend('${backend}') returned false (initialisation failed)`;
    await engine.ready();
  } catch (err) {
    return `initialisation threw: ${errorMessage(err)}`;
  }
  const active = engine.getBackend();
  if (active !== backend) return `tfjs reports '${active}' active after setBackend('${backend}')`;
  return null;
}
