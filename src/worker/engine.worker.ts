// The engine worker: owns tfjs and all tensor work, so the main thread never blocks on it.
// Speaks only the protocol in protocol/ (index.ts).

import * as tf from '@tensorflow/tfjs-core';
// Each import registers its backend with tfjs-core (webgpu only where navigator.gpu exists).
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// The .wasm binaries, emitted by Vite and served from the app's own origin (no CDN).
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
// tfjs-core registers no gradients by itself (the full @tensorflow/tfjs bundle does).
import '@tensorflow/tfjs-core/dist/register_all_gradients';

import { selectBackend, type BackendProbe } from './backend.ts';
import { softwareAdapter, softwareRenderer, type AdapterLike } from './softwareAdapter.ts';
import { installWasmConvGrads } from '../core/platform/wasmGrads.ts';
import { configureWasmThreads } from './wasmThreads.ts';
import type { BackendName, EngineCommand, EngineEvent } from './protocol/index.ts';
import { runSmoke } from './smoke.ts';
import { setFusedBn } from '../core/model/fused/bnTrain.ts';
import { recipeFromSettings } from '../core/train/recipe.ts';
import { TrainSession, type SessionSink } from './session.ts';
import { IsometryRunner, isometryTransfers } from './isometry.ts';
import { SearchService } from './search.ts';
import { RetrainService } from './retrain.ts';
import { Trainer } from '../core/train/trainer.ts';
import type { BatchSource } from '../core/data/source.ts';
import { RunsHandler } from './persist/runsHandler.ts';
import { DataHandler } from './data/handler.ts';
import { WatchService } from './watch.ts';
import { BrowserImageDecoder } from './data/imageDecoder.ts';
import { errorMessage } from '../core/errors.ts';

let activeBackend: BackendName | null = null;
let session: TrainSession | null = null;
const isometry = new IsometryRunner();

function post(event: EngineEvent, transfer: Transferable[] = []): void {
  postMessage(event, transfer);
}

/** Retrain-and-verify of a picked subnet on the session's data (src/worker/retrain.ts). */
const retrain = new RetrainService(post);

/** Loaded data: loadData / dataClear, and the source each build trains on (src/worker/data/handler.ts). */
const data = new DataHandler(post, new BrowserImageDecoder());

/** Live isometry: the watch settings and each session's watcher (src/worker/watch.ts). */
const watch = new WatchService(post);

/** GPU backends compile a program per op and shape: their sessions warm up with progress first. */
const onGpu = (): boolean => activeBackend === 'webgpu' || activeBackend === 'webgl';

/**
 * A training session on this worker's sink (a fresh build or a resumed run). It warms every
 * candidate up before its first step on GPU backends only, where compiling their programs is most
 * of the first step (TrainSession.warmUpFirst).
 */
function newTrainSession(trainer: Trainer, source: BatchSource | undefined): TrainSession {
  const s = new TrainSession(trainer, sink, undefined, source);
  s.warmUpFirst = onGpu();
  return s;
}

/** The session's stream, posted as protocol events (the indicator and histogram buffers transferred). */
const baseSink: SessionSink = {
  watch: (f) => post({ type: 'watchSpectra', ...f }, [f.histCounts.buffer as ArrayBuffer]),
  progress: (p) => post({ type: 'trainProgress', ...p }),
  warmup: (done, total) => post({ type: 'trainWarmup', done, total }),
  indicators: (step, choices, scores) => post({ type: 'indicators', step, choices, scores }, [scores.buffer]),
  state: (state, step) => post({ type: 'trainState', id: null, state, step }),
  error: (message) => post({ type: 'error', id: null, message }),
};

/** Runs kept in IndexedDB (checkpoints, metrics, resume, export / import, device loss): src/worker/persist/. */
const runs: RunsHandler = new RunsHandler({
  backend: () => activeBackend,
  session: () => session,
  replaceSession: async (next) => {
    const previous = session;
    session = next;
    if (previous !== null && previous !== next) await previous.dispose();
  },
  // a run on loaded files resumes only on the same files (src/worker/persist/dataFingerprint.ts)
  checkResume: (run) => void data.checkResume(run),
  newSession: async (trainer, run) => {
    const s = newTrainSession(trainer, await data.sourceForRun(trainer.recipe, run));
    watch.attach(s);
    return s;
  },
  post,
  enqueue: (work) => {
    queue = queue.then(work).catch((err: unknown) => post({ type: 'error', id: null, message: errorMessage(err) }));
  },
});
const sink: SessionSink = runs.wrapSink(baseSink);

/**
 * Evolutionary search over the session's indicator table, and export (src/worker/search.ts); a
 * finished search is stored with the searched session's run (when it is still the live one).
 */
const search = new SearchService(post, { save: (s, result) => runs.saveSearch(s.trainer, result) });

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlainUrl, 'tfjs-backend-wasm-simd.wasm': wasmSimdUrl, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl });
// Threaded SIMD when the page is cross-origin isolated (its pthread workers from this origin),
// else SIMD on one thread (wasmThreads.ts, docs/engine.md).
configureWasmThreads(self as unknown as Parameters<typeof configureWasmThreads>[0]);
installWasmConvGrads();

/** The WebGL renderer string (unmasked where the browser allows), or null. */
function webglRenderer(): string | null {
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl');
  if (gl == null) return null;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const r = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) as unknown;
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return typeof r === 'string' ? r : null;
}

/**
 * Explains up front why a backend cannot work here, since tf.setBackend only answers false. A
 * software GPU adapter is passed over (with the reason) when wasm comes later in `order`.
 */
const probeFor = (order: readonly BackendName[]): BackendProbe => async (name) => {
  const wasmLater = order.indexOf('wasm') > order.indexOf(name);
  switch (name) {
    case 'webgpu': {
      if (!('gpu' in navigator) || navigator.gpu == null) return 'navigator.gpu is undefined (WebGPU not exposed)';
      const adapter = await navigator.gpu.requestAdapter();
      if (adapter == null) return 'navigator.gpu.requestAdapter() returned null (no adapter)';
      const soft = wasmLater ? softwareAdapter(adapter as unknown as AdapterLike) : null;
      return soft ? `${soft}: ranked below wasm` : null;
    }
    case 'webgl': {
      if (typeof OffscreenCanvas === 'undefined') return 'OffscreenCanvas is unavailable in this worker';
      const soft = wasmLater ? softwareRenderer(webglRenderer() ?? '') : null;
      return soft ? `${soft}: ranked below wasm` : null;
    }
    case 'wasm':
      return typeof WebAssembly === 'undefined' ? 'WebAssembly is unavailable' : null;
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
      setFusedBn(cmd.fusedBn ?? 'on');
      const choice = await selectBackend(cmd.backends, tf, probeFor(cmd.backends));
      activeBackend = choice.backend;
      runs.watchDevice();
      post({ type: 'ready', id: cmd.id, ...choice, ...(choice.backend === 'wasm' ? { wasmThreads: getThreadsCount() } : {}) });
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
      const selected = data.selection(); // null: synthetic; loaded data decides the smallest class count
      if (selected && cmd.settings.numClasses < selected.numClasses) {
        throw new Error(`Classes must be at least ${selected.numClasses}: the loaded data has ${selected.numClasses} classes`);
      }
      const settings = cmd.settings;
      const recipe = recipeFromSettings(cmd.preset, settings);
      await session?.dispose();
      session = null;
      const built = newTrainSession(new Trainer(recipe), await data.sourceFor(recipe));
      session = built;
      await runs.built(built, cmd.preset, settings, data.fingerprint() ?? undefined);
      post({ type: 'built', id: cmd.id, backend: activeBackend, choices: built.choices, totalSteps: recipe.totalSteps, data: selected?.name ?? built.source.name, numClasses: recipe.config.numClasses });
      watch.attach(built);
      return;
    }
    case 'trainStart':
    case 'trainPause':
    case 'trainResume':
    case 'trainStop': {
      if (session === null) throw new Error(`${cmd.type} before build`);
      const state = await session.control(cmd.type);
      await runs.controlled(session, state);
      post({ type: 'trainState', id: cmd.id, state, step: session.steps });
      return;
    }
    case 'isometry': {
      if (activeBackend === null) throw new Error('isometry before init');
      const { type: _type, id, ...req } = cmd;
      const backend = activeBackend;
      const out = await isometry.run(req, session, (p) => post({ type: 'isometryProgress', id, ...p }));
      post({ type: 'isometryResult', id, backend, ...out }, isometryTransfers(out));
      return;
    }
    case 'loadData':
      data.load(cmd); // reads in the background; answered by dataLoaded
      return;
    case 'dataClear':
      await data.clear(cmd);
      return;
    case 'isometryStop':
      post({ type: 'isometryStopAck', id: cmd.id, wasRunning: isometry.requestStop() });
      return;
    case 'search':
      await search.start(cmd, session); // runs on in the background; answered by searchResult
      return;
    case 'searchStop':
      await search.stop(cmd);
      return;
    case 'export':
      await search.export(cmd, session);
      return;
    case 'retrainStart':
      await retrain.start(cmd, session); // runs on in the background; answered by retrainResult
      return;
    case 'retrainStop':
      await retrain.stop(cmd);
      return;
    case 'runsList':
    case 'runResume':
    case 'runDelete':
    case 'runExport':
    case 'runImport':
    case 'debugLoseDevice':
      await runs.handle(cmd);
      return;
    case 'watchSet':
      watch.set(cmd, session);
      return;
    case 'runCompare':
      await runs.compare(cmd);
      return;
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
  const run = () =>
    handle(cmd).catch((err: unknown) => {
      post({ type: 'error', id: cmd.id, message: errorMessage(err) });
    });
  // A stop is handled at once: the analysis it stops holds the queue (it yields between modules).
  if (cmd.type === 'isometryStop') void run();
  else queue = queue.then(run);
});
