// The engine: the worker client, the selected backend (with the reasons for any fallback), the
// smoke check's result, and the app's one error handler.

import type { StateCreator } from 'zustand';
import type { BackendChoice, ReadyEvent, SmokeResultEvent } from '../../worker/protocol/index.ts';
import { backendOrderFromQuery, fusedBnFromQuery } from '../backendOrder.ts';
import { EngineClient } from '../engineClient.ts';
import type { Store } from './index.ts';
import { errorMessage } from '../../core/errors.ts';

export type EngineStatus = 'starting' | 'smoke' | 'done' | 'failed';

/** The selected backend, the reasons for any fallback, and (wasm) its thread count. */
export type EngineBackend = BackendChoice & Pick<ReadyEvent, 'wasmThreads'>;

export interface EngineValues {
  status: EngineStatus;
  backend: EngineBackend | null;
  smoke: SmokeResultEvent | null;
  /** Every reported error, oldest first. */
  errors: string[];
  client: EngineClient | null;
}

export interface EngineActions {
  /** Starts a worker, selects the backend (`?backends=`), runs the smoke check; returns a cleanup. */
  startEngine: (search: string) => () => void;
  /** The one error handler: every failed async action ends here. */
  reportError: (err: unknown) => void;
  /** The ready client, or an error saying the engine is not ready. */
  requireClient: () => EngineClient;
}

export type EngineSlice = EngineValues & EngineActions;

export const ENGINE_DEFAULT: EngineValues = { status: 'starting', backend: null, smoke: null, errors: [], client: null };

export const createEngineSlice: StateCreator<Store, [], [], EngineSlice> = (set, get) => ({
  ...ENGINE_DEFAULT,
  reportError: (err) => set((s) => ({ errors: [...s.errors, errorMessage(err)] })),
  requireClient: () => {
    const { client, status } = get();
    if (client === null || status !== 'done') throw new Error(`the engine is not ready (${status})`);
    return client;
  },
  startEngine: (search) => {
    let live = true;
    const fail = (err: unknown) => {
      if (!live) return;
      set({ status: 'failed' });
      get().reportError(err);
    };
    let client: EngineClient | null = null;
    (async () => {
      const order = backendOrderFromQuery(search);
      client = new EngineClient({ onFatal: (message) => live && get().reportError(message) });
      client.listen('train', (ev) => live && get().receiveTrain(ev));
      set({ ...ENGINE_DEFAULT, errors: get().errors });
      const fusedBn = fusedBnFromQuery(search);
      const ready = await client.call('init', { backends: order, ...(fusedBn ? { fusedBn } : {}) });
      if (!live) return;
      set({ backend: { backend: ready.backend, fallbacks: ready.fallbacks, ...(ready.wasmThreads === undefined ? {} : { wasmThreads: ready.wasmThreads }) }, status: 'smoke' });
      const smoke = await client.call('smoke', {});
      if (!live) return;
      set({ smoke, status: 'done', client });
      void get().loadQueuedData(); // files picked while the engine was starting
    })().catch(fail);
    return () => {
      live = false;
      if (get().client === client) set({ client: null });
      client?.terminate();
    };
  },
});
