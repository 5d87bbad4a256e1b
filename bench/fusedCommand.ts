// `npm run bench -- --census` and `--ab fused`: the kernel census (bench/census.ts) and the
// fused-BN A/B (bench/fusedAb.ts), in Node (`node`: tfjs cpu, no fused kernels) or in headless
// Chromium (webgpu, webgl, cpu). Returns one JSON-ready object.
import { resolveRecipe, type PresetName } from '../src/core/train/recipe.ts';
import { setFusedBn, type FusedBnMode } from '../src/core/model/fused/bnTrain.ts';
import { useNodeCpuBackend } from '../src/core/platform/node.ts';
import type { BrowserBackend } from './browser/protocol.ts';
import { buildBenchPage, runFusedModeInBrowser } from './browserRun.ts';
import { CENSUS_OVERRIDE, runCensus } from './census.ts';
import { runFusedBnAB } from './fusedAb.ts';

export interface FusedCommand {
  kind: 'census' | 'ab';
  config: PresetName;
  backend: 'node' | BrowserBackend;
  steps: number;
  warmupRounds: number;
  fusedBn: FusedBnMode;
  timeoutMs: number;
  progress: boolean;
}

export async function runFusedCommand(c: FusedCommand): Promise<Record<string, unknown> & { runtime: string }> {
  const recipe = resolveRecipe(c.config);
  const head = { config: c.config, backend: c.backend, date: new Date().toISOString() };
  if (c.backend === 'node') {
    await useNodeCpuBackend();
    setFusedBn(c.fusedBn);
    const body = c.kind === 'census' ? { census: await runCensus(resolveRecipe(c.config, CENSUS_OVERRIDE), (l) => c.progress && process.stderr.write(`${l}\n`)) } : await runFusedBnAB(recipe, c.steps, c.warmupRounds);
    return { ...head, runtime: `node ${process.version}`, ...body };
  }
  await buildBenchPage();
  const p = { config: c.config, backend: c.backend, steps: c.steps, warmupRounds: c.warmupRounds, memorySteps: 0, skipFair: true, extras: false, maxStepMs: null, convGrad: 'forward' as const, warmUp: false, ab: c.kind === 'ab', abLever: 'fusedBn' as const, census: c.kind === 'census', fusedBn: c.fusedBn };
  const { reply, browser } = await runFusedModeInBrowser(p, { timeoutMs: c.timeoutMs, onProgress: (l) => c.progress && process.stderr.write(`${l}\n`) });
  const adapter = 'adapter' in reply ? reply.adapter : null;
  const runtime = adapter ? `${browser}, ${adapter}` : browser;
  if (reply.type === 'census') return { ...head, runtime, census: reply.census };
  if (reply.type === 'abFused') return { ...head, runtime, ...reply.ab };
  throw new Error(`unexpected reply ${reply.type}`);
}
