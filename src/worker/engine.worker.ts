// The engine worker: owns tfjs and all tensor work, so the main thread never blocks on it.
// Speaks only the protocol in protocol.ts.

import * as tf from '@tensorflow/tfjs-core';
// Each import registers its backend with tfjs-core (webgpu only where navigator.gpu exists).
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
// tfjs-core registers no gradients by itself (the full @tensorflow/tfjs bundle does).
import '@tensorflow/tfjs-core/dist/register_all_gradients';

import { selectBackend, type BackendProbe } from './backend.ts';
import type { BackendName, EngineCommand, EngineEvent } from './protocol.ts';
import { runSmoke } from './smoke.ts';
import { runTraining } from './train.ts';

let activeBackend: BackendName | null = null;

function post(event: EngineEvent, transfer: Transferable[] = []): void {
  postMessage(event, transfer);
}

/** Explains up front why a backend cannot work here, since tf.setBackend only answers false. */
const probeEnvironment: BackendProbe = async (name) => {
  switch (name) {
    case 'webgpu': {
      if (!('gpu' in navigator) || navigator.gpu == null) return 'navigator.gpu is undefined (WebGPU not exposed)';
      const adapter = await navigator.gpu.requestAdapter();
      return adapter == null ? 'navigator.gpu.requestAdapter() returned null (no adapter)' : null;
    }
    case 'webgl':
      return typeof OffscreenCanvas === 'undefined' ? 'OffscreenCanvas is unavailable in this worker' : null;
    case 'cpu':
      return null;
    default: {
      const unreachable: never = name;
      return `unknown backend ${String(unreachable)}`;
    }
  }
};

async function handle(cmd: EngineCommand): Promise<void> {
  switch (cmd.type) {
    case 'init': {
      const choice = await selectBackend(cmd.backends, tf, probeEnvironment);
      activeBackend = choice.backend;
      post({ type: 'ready', id: cmd.id, ...choice });
      return;
    }
    case 'smoke': {
      if (activeBackend === null) throw new Error('smoke before init');
      const r = await runSmoke();
      post(
        { type: 'smokeResult', id: cmd.id, backend: activeBackend, ...r },
        [r.mean.buffer, r.variance.buffer],
      );
      return;
    }
    case 'train': {
      if (activeBackend === null) throw new Error('train before init');
      const backend = activeBackend;
      const report = await runTraining(cmd, (s) => post({ type: 'trainProgress', id: cmd.id, ...s }));
      post({ type: 'trainDone', id: cmd.id, backend, ...report }, [report.scores.buffer]);
      return;
    }
    default: {
      const unreachable: never = cmd;
      throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
    }
  }
}

// Commands run one at a time, in arrival order: tfjs engine state is global.
let queue: Promise<void> = Promise.resolve();

addEventListener('message', (ev: MessageEvent<EngineCommand>) => {
  const cmd = ev.data;
  queue = queue.then(() =>
    handle(cmd).catch((err: unknown) => {
      post({ type: 'error', id: cmd.id, message: err instanceof Error ? err.message : String(err) });
    }),
  );
});
