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
import { recipeFromSettings } from './recipe.ts';
import { TrainSession, type SessionSink } from './session.ts';
import { Trainer } from '../core/train/trainer.ts';

let activeBackend: BackendName | null = null;
let session: TrainSession | null = null;

function post(event: EngineEvent, transfer: Transferable[] = []): void {
  postMessage(event, transfer);
}

/** The session's stream, posted as protocol events (the indicator buffer transferred). */
const sink: SessionSink = {
  progress: (p) => post({ type: 'trainProgress', ...p }),
  indicators: (step, choices, scores) => post({ type: 'indicators', step, choices, scores }, [scores.buffer]),
  state: (state, step) => post({ type: 'trainState', id: null, state, step }),
  error: (message) => post({ type: 'error', id: null, message }),
};

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
    case 'build': {
      if (activeBackend === null) throw new Error('build before init');
      if (session !== null && (session.state === 'running' || session.state === 'paused')) {
        throw new Error(`cannot build: a session is ${session.state} (stop it first)`);
      }
      const recipe = recipeFromSettings(cmd.preset, cmd.settings);
      await session?.dispose();
      session = null;
      const built = new TrainSession(new Trainer(recipe), sink);
      session = built;
      post({ type: 'built', id: cmd.id, backend: activeBackend, choices: built.choices, totalSteps: recipe.totalSteps });
      return;
    }
    case 'trainStart':
    case 'trainPause':
    case 'trainResume':
    case 'trainStop': {
      if (session === null) throw new Error(`${cmd.type} before build`);
      const state = await session.control(cmd.type);
      post({ type: 'trainState', id: cmd.id, state, step: session.steps });
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
