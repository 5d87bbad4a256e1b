// The benchmark's worker: the same measuring core as the Node runner (bench/stepBench.ts and
// bench/extras.ts) on the backend the page asks for, in a dedicated Web Worker as in the app.
// The backend is set strictly: if it cannot be initialised the run fails and says why, rather
// than silently measuring another backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { resolveRecipe } from '../../src/core/train/recipe.ts';
import { setFrozenConvGrad } from '../../src/core/model/ops.ts';
import { runExtras, type ExtrasResult } from '../extras.ts';
import { runConvGradAB } from '../leverBench.ts';
import { DECODE_IMAGES, decodePixel, timeDecode } from '../decodeBench.ts';
import { BrowserImageDecoder } from '../../src/worker/data/imageDecoder.ts';
import { DEFAULT_STEP_BENCH, runStepBench } from '../stepBench.ts';
import { runDataBench } from '../dataBench.ts';
import { blobFile } from '../../src/core/data/open/fileLike.ts';
import type { BenchParams, WorkerReply } from './protocol.ts';
import { setFusedBn } from '../../src/core/model/fused/bnTrain.ts';
import { CENSUS_OVERRIDE, runCensus } from '../census.ts';
import { runFusedBnAB } from '../fusedAb.ts';
import { FUSED_CHECK_OVERRIDE, runFusedCheck } from '../fusedCheck.ts';
import { errorMessage } from '../../src/core/errors.ts';

interface WorkerScope {
  postMessage(m: WorkerReply): void;
  onmessage: ((e: MessageEvent<BenchParams>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** What the backend runs on: the WebGPU adapter or the WebGL renderer string (best effort). */
async function adapterLabel(backend: string): Promise<string | null> {
  try {
    if (backend === 'webgpu') {
      const b = tf.backend() as unknown as { adapterInfo?: Record<string, unknown> };
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, unknown> } | null> } }).gpu;
      const info = b.adapterInfo ?? (await gpu?.requestAdapter())?.info;
      if (!info) return null;
      return ['vendor', 'architecture', 'device', 'description'].map((k) => info[k]).filter((v) => typeof v === 'string' && v !== '').join(' / ');
    }
    if (backend === 'webgl') {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
      if (!gl) return null;
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    }
  } catch {
    return null;
  }
  return null;
}

/** The decode benchmark's JPEGs, encoded by the browser itself (OffscreenCanvas). */
async function canvasJpegs(): Promise<Uint8Array[]> {
  const d = DECODE_IMAGES;
  const out: Uint8Array[] = [];
  for (let i = 0; i < d.count; i++) {
    const canvas = new OffscreenCanvas(d.width, d.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('OffscreenCanvas 2d context unavailable');
    const img = ctx.createImageData(d.width, d.height);
    const px = decodePixel(i);
    for (let y = 0; y < d.height; y++) {
      for (let x = 0; x < d.width; x++) {
        const [r, g, b] = px(x, y);
        img.data.set([r, g, b, 255], 4 * (y * d.width + x));
      }
    }
    ctx.putImageData(img, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: d.quality / 100 });
    out.push(new Uint8Array(await blob.arrayBuffer()));
  }
  return out;
}

async function run(p: BenchParams): Promise<WorkerReply> {
  if (tf.findBackendFactory(p.backend) == null) throw new Error(`tfjs backend "${p.backend}" is not registered in this browser`);
  const ok = await tf.setBackend(p.backend);
  if (!ok) throw new Error(`tf.setBackend('${p.backend}') returned false: the backend could not be initialised in this browser`);
  await tf.ready();
  const adapter = await adapterLabel(p.backend);
  const recipe = resolveRecipe(p.config);
  setFusedBn(p.fusedBn ?? 'on');
  if (p.census) return { type: 'census', census: await runCensus(resolveRecipe(p.config, CENSUS_OVERRIDE), (text) => scope.postMessage({ type: 'progress', text })), adapter };
  if (p.fusedCheckSteps !== undefined) return { type: 'fusedCheck', check: await runFusedCheck(resolveRecipe(p.config, FUSED_CHECK_OVERRIDE), p.fusedCheckSteps), adapter };
  if (p.ab && p.abLever === 'fusedBn') return { type: 'abFused', ab: await runFusedBnAB(recipe, p.steps, p.warmupRounds), adapter };
  if (p.ab) return { type: 'ab', ab: await runConvGradAB(recipe, p.steps, p.warmupRounds), adapter };
  if (p.dataBench) {
    // Shards as Blobs (File slicing as when a user drops files), decode with createImageBitmap.
    const files = { make: async (name: string, bytes: Uint8Array) => blobFile(new File([bytes as Uint8Array<ArrayBuffer>], name)) };
    const onProgress = (text: string) => scope.postMessage({ type: 'progress', text });
    return { type: 'data', data: await runDataBench(p.dataBench, { recipe, files, decoder: new BrowserImageDecoder(), jpegs: canvasJpegs, onProgress }), adapter };
  }
  setFrozenConvGrad(p.convGrad);
  let extras: ExtrasResult | null = null;
  const result = await runStepBench(recipe, {
    ...DEFAULT_STEP_BENCH,
    steps: p.steps,
    warmupRounds: p.warmupRounds,
    memorySteps: p.memorySteps,
    skipFair: p.skipFair,
    warmUpCandidates: p.warmUp === true,
    maxStepMs: p.maxStepMs,
    onStep: (e) => {
      if (e.variant !== 'memory' || (e.round + 1) % 50 === 0) {
        scope.postMessage({ type: 'progress', text: `round ${e.round} ${e.variant}${Number.isNaN(e.ms) ? '' : ` ${e.ms.toFixed(1)} ms`}` });
      }
    },
    afterRounds: async (bnOnly, batch) => {
      if (!p.extras) return;
      scope.postMessage({ type: 'progress', text: 'extras: search, isometry' });
      extras = await runExtras(bnOnly, batch, { decode: async () => timeDecode(new BrowserImageDecoder(), await canvasJpegs(), recipe.config.resolution) });
    },
  });
  return { type: 'done', result, extras, adapter };
}

scope.onmessage = (e) => {
  run(e.data).then(
    (reply) => scope.postMessage(reply),
    (err: unknown) => scope.postMessage({ type: 'error', message: errorMessage(err) }),
  );
};
