// `npm run -s bench -- [--config tiny|small|paper] [--backend node|wasm|cpu|webgl|webgpu] [--json]`:
// the step benchmark (bench/stepBench.ts) plus search / isometry timings (bench/extras.ts), in Node
// (`node`: the tfjs cpu backend; `wasm`: the tfjs wasm backend, SIMD, one thread) or in headless Chromium (`cpu`, `webgl`, `webgpu`: the browser
// runner, bench/browserRun.ts). With --config and --backend: one run, and --json prints ONE JSON
// object. Without --backend: the practical set for the config (or, without --config too, the
// default set of DEFAULT_SET); --json then prints {"runs": [...]}. --write-docs puts every run's
// row into docs/benchmarks.md. Errors: one line on stderr, exit 2 for a bad argument.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { PRESETS, resolveRecipe, type PresetName } from '../src/core/train/recipe.ts';
import { backendThreads, useNodeBackend } from '../src/core/platform/node.ts';
import { optEnum, optInt, optNumber, parse, UsageError } from '../src/cli/args.ts';
import { BROWSER_BACKENDS, type BrowserBackend } from './browser/protocol.ts';
import { buildBenchPage, runAbInBrowser, runInBrowser } from './browserRun.ts';
import { runConvGradAB } from './leverBench.ts';
import { runTorchPeerAB } from './torchPeer.ts';
import { jsImageDecoder } from '../src/core/platform/jsDecoder.ts';
import { jpegBytes } from '../src/core/data/fixtures/images.ts';
import { DECODE_IMAGES, decodePixel, timeDecode } from './decodeBench.ts';
import { runUiFrames, type UiFramesResult } from './uiFrames.ts';
import { runExtras, type ExtrasResult } from './extras.ts';
import { setFrozenConvGrad } from '../src/core/model/ops.ts';
import { DEFAULT_LEVERS, docsRow, makeReport, reportMarkdown, upsertDocsRow, type BenchLevers, type BenchReport, type MachineInfo } from './report.ts';
import { DEFAULT_STEP_BENCH, runStepBench, type StepBenchOptions } from './stepBench.ts';
import { DATA_OPTIONS, DATA_USAGE, runDataCommand } from './dataCommand.ts';
import { runFusedCommand } from './fusedCommand.ts';
import { getFusedBn, setFusedBn } from '../src/core/model/fused/bnTrain.ts';

const USAGE =
  'usage: npm run -s bench -- [--config tiny|small|paper] [--backend node|wasm|cpu|webgl|webgpu] [--steps N] [--warmup N] ' +
  '[--memory-steps N] [--json] [--write-docs [--note TEXT]] [--max-step-s S] [--skip-fair] [--skip-extras] [--timeout-s S] [--progress] [--conv-grad forward|native] [--warm-up candidates|none] [--watch-steps N] [--ab conv-grad|fused] [--census] [--fused-bn on|off] [--peer torch [--threads N]] | --ui [--seconds S] [--query Q] [--isolation on|off] | ' + DATA_USAGE;

const OPTIONS = {
  config: { type: 'string' }, backend: { type: 'string' }, steps: { type: 'string' }, warmup: { type: 'string' },
  'memory-steps': { type: 'string' }, json: { type: 'boolean' }, 'write-docs': { type: 'boolean' }, note: { type: 'string' },
  'max-step-s': { type: 'string' }, 'skip-fair': { type: 'boolean' }, 'skip-extras': { type: 'boolean' },
  'timeout-s': { type: 'string' }, progress: { type: 'boolean' }, help: { type: 'boolean' }, 'conv-grad': { type: 'string' }, 'warm-up': { type: 'string' }, ab: { type: 'string' }, peer: { type: 'string' }, ui: { type: 'boolean' }, seconds: { type: 'string' }, query: { type: 'string' }, isolation: { type: 'string' },
  'watch-steps': { type: 'string' }, threads: { type: 'string' }, census: { type: 'boolean' }, 'fused-bn': { type: 'string' },
  ...DATA_OPTIONS,
} as const;

type Backend = 'node' | 'wasm' | BrowserBackend;
const BACKENDS: Backend[] = ['node', 'wasm', ...BROWSER_BACKENDS];

/** Node backends: `node` = tfjs cpu, `wasm` = tfjs wasm; the rest run in Chromium. */
const inNode = (b: Backend): b is 'node' | 'wasm' => b === 'node' || b === 'wasm';

/** Start a Node backend; returns the runtime string of the report's machine (with threads). */
async function startNodeBackend(b: Backend): Promise<string> {
  await useNodeBackend(b === 'wasm' ? 'wasm' : 'cpu');
  return `node ${process.version}, tfjs ${b === 'wasm' ? 'wasm SIMD' : 'cpu'}, ${backendThreads()} thread`;
}

/** Timed steps when --steps is not given (paper: minutes per step without a GPU, so explicit). */
const DEFAULT_STEPS: Record<PresetName, number | null> = { tiny: 10, small: 5, paper: null };
/** The issue's memory run: tf.memory() after step 10 and after step 500. */
const DEFAULT_MEMORY_STEPS = 500;

/**
 * `npm run bench` with no arguments: what finishes in a few minutes on a 2-core machine without a
 * GPU (docs/benchmarks.md): tiny in Node (with the fair step) and on WebGL in Chromium (without),
 * 3 timed steps each and a short memory run (20 rounds: growth between round 10 and 20 shows; the
 * 500-step run is `--config tiny --backend B`). WebGPU and the browser cpu backend on SwiftShader
 * take tens of seconds a step there, so they run only when asked for.
 */
const DEFAULT_SET: Array<{ config: PresetName; backend: Backend; steps: number; memorySteps: number; skipFair: boolean }> = [
  { config: 'tiny', backend: 'node', steps: 3, memorySteps: 20, skipFair: false },
  { config: 'tiny', backend: 'webgl', steps: 3, memorySteps: 20, skipFair: true },
];

const DOCS_PATH = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

function nodeJpegs(): Uint8Array[] {
  const d = DECODE_IMAGES;
  return Array.from({ length: d.count }, (_, i) => jpegBytes(d.width, d.height, decodePixel(i), d.quality));
}

function hostMachine(runtime: string): MachineInfo {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, runtime, platform: `${os.platform()} ${os.arch()}` };
}

interface RunSpec {
  config: PresetName;
  backend: Backend;
  steps: number;
  warmupRounds: number;
  memorySteps: number;
  maxStepMs: number | null;
  skipFair: boolean;
  extras: boolean;
  timeoutMs: number;
  progress: boolean;
  levers: BenchLevers;
  /** Training steps of the live-isometry figure in Node (bench/watchBench.ts); undefined = its default. */
  watchSteps?: number;
}

async function runOne(s: RunSpec): Promise<BenchReport> {
  const recipe = resolveRecipe(s.config);
  const log = (line: string) => {
    if (s.progress) process.stderr.write(`[${s.config}/${s.backend}] ${line}\n`);
  };
  if (inNode(s.backend)) {
    const runtime = await startNodeBackend(s.backend);
    setFrozenConvGrad(s.levers.convGrad);
    let extras: ExtrasResult | null = null;
    const opts: StepBenchOptions = {
      ...DEFAULT_STEP_BENCH,
      steps: s.steps,
      warmupRounds: s.warmupRounds,
      memorySteps: s.memorySteps,
      maxStepMs: s.maxStepMs,
      skipFair: s.skipFair,
      warmUpCandidates: s.levers.warmUp === 'candidates',
      onStep: (e) => log(`round ${e.round} ${e.variant}${Number.isNaN(e.ms) ? '' : ` ${e.ms.toFixed(0)} ms`}`),
      afterRounds: async (bn, batch) => {
        if (s.extras) extras = await runExtras(bn, batch, { decode: () => timeDecode(jsImageDecoder, nodeJpegs(), recipe.config.resolution), watchSteps: s.watchSteps });
      },
    };
    const result = await runStepBench(recipe, opts);
    return makeReport(s.config, recipe, result, hostMachine(runtime), new Date(), extras, s.levers);
  }
  const r = await runInBrowser(
    { config: s.config, backend: s.backend, steps: s.steps, warmupRounds: s.warmupRounds, memorySteps: s.memorySteps, skipFair: s.skipFair, extras: s.extras, maxStepMs: s.maxStepMs, convGrad: s.levers.convGrad, warmUp: s.levers.warmUp === 'candidates', ab: false, fusedBn: getFusedBn() },
    { timeoutMs: s.timeoutMs, onProgress: log },
  );
  const runtime = r.adapter ? `${r.browser}, ${r.adapter}` : r.browser;
  return makeReport(s.config, recipe, r.result, hostMachine(runtime), new Date(), r.extras, s.levers);
}

/** The convGrad A/B on one backend: ONE JSON object (the lever's medians and every step). */
async function runAb(s: RunSpec): Promise<object> {
  const recipe = resolveRecipe(s.config);
  const head = { config: s.config, backend: s.backend, date: new Date().toISOString() };
  if (inNode(s.backend)) {
    const runtime = await startNodeBackend(s.backend);
    return { ...head, machine: hostMachine(runtime), ...(await runConvGradAB(recipe, s.steps, s.warmupRounds)) };
  }
  const p = { config: s.config, backend: s.backend, steps: s.steps, warmupRounds: s.warmupRounds, memorySteps: 0, skipFair: true, extras: false, maxStepMs: s.maxStepMs, convGrad: s.levers.convGrad, warmUp: false, ab: true };
  const r = await runAbInBrowser(p, { timeoutMs: s.timeoutMs, onProgress: (l) => s.progress && process.stderr.write(`${l}\n`) });
  return { ...head, machine: hostMachine(r.adapter ? `${r.browser}, ${r.adapter}` : r.browser), ...r.ab };
}

function uiMarkdown(r: UiFramesResult & { machine: MachineInfo; date: string }): string {
  const f = (s: UiFramesResult['idle']) => `${s.medianMs.toFixed(1)} / ${s.p95Ms.toFixed(1)} / ${s.maxMs.toFixed(1)} ms (${s.frames} frames, ${s.overBudget} over ${s.budgetMs} ms)`;
  return [
    '| figure | value |',
    '| --- | --- |',
    `| setup | ?${r.query} on ${r.backend ?? 'unknown backend'} |`,
    `| machine | ${r.machine.cpu}, ${r.machine.cores} cores, ${r.browser} |`,
    `| idle frame time median / p95 / max | ${f(r.idle)} |`,
    `| training frame time median / p95 / max | ${f(r.training)} |`,
    `| training frames over budget: with / without main-thread work | ${r.trainingLongFrames.withMainThreadWork} / ${r.trainingLongFrames.withoutMainThreadWork} |`,
    `| long animation frames (main thread > 50 ms): count, script ms, top invokers | ${r.trainingLongFrames.entries}, ${r.trainingLongFrames.scriptMs.toFixed(0)} ms, ${r.trainingLongFrames.byInvoker.slice(0, 3).map((g) => `${g.invoker} ${g.entries}x ${g.scriptMs.toFixed(0)} ms`).join('; ') || '-'} |`,
    `| steps in the ${(r.windowMs / 1000).toFixed(0)} s window | ${r.stepsInWindow} |`,
    `| date | ${r.date} |`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  // `--hostile [--json]`: the hostile inputs through the CLI, peak RSS each (bench/hostile.ts).
  if (argv[0] === '--hostile') {
    await import('./hostile.ts');
    return 0;
  }
  const v = parse(argv, OPTIONS);
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (v.ui) {
    const seconds = optNumber(v, 'seconds', (n) => n > 0, 'a number > 0') ?? 60;
    const query = typeof v.query === 'string' ? v.query : 'preset=tiny&view=train';
    const isolated = (optEnum(v, 'isolation', ['on', 'off'] as const) ?? 'on') === 'on';
    const r = await runUiFrames({ query, seconds, idleSeconds: 5, isolated, onProgress: (l) => v.progress && process.stderr.write(`[ui] ${l}\n`) });
    const out = { ...r, machine: hostMachine(r.browser), date: new Date().toISOString() };
    process.stdout.write(v.json ? `${JSON.stringify(out)}\n` : `${uiMarkdown(out)}\n`);
    return 0;
  }
  const config = optEnum(v, 'config', Object.keys(PRESETS) as PresetName[]);
  const backend = optEnum(v, 'backend', BACKENDS);
  if (v['data-bench']) {
    const timeoutMs = (optNumber(v, 'timeout-s', (n) => n > 0, 'a number > 0') ?? 3600) * 1000;
    const note = typeof v.note === 'string' ? v.note : '';
    if (backend === 'wasm') throw new UsageError('--data-bench runs on --backend node or a browser backend');
    return runDataCommand(v, { backend: backend ?? 'node', config, json: v.json === true, writeDocs: v['write-docs'] === true, note, timeoutMs, progress: v.progress === true, docsPath: DOCS_PATH });
  }
  const steps = optInt(v, 'steps', 1);
  const warmupRounds = optInt(v, 'warmup', 1) ?? DEFAULT_STEP_BENCH.warmupRounds;
  const memorySteps = optInt(v, 'memory-steps', 0);
  const maxStepS = optNumber(v, 'max-step-s', (n) => n > 0, 'a number > 0');
  const timeoutS = optNumber(v, 'timeout-s', (n) => n > 0, 'a number > 0') ?? 3600;
  if (v.note !== undefined && !v['write-docs']) throw new UsageError('--note only goes with --write-docs');
  if (config === 'paper' && steps === undefined) throw new UsageError('--config paper needs an explicit --steps N (minutes per step without a GPU)');

  const common = {
    warmupRounds,
    maxStepMs: maxStepS === undefined ? null : maxStepS * 1000,
    skipFair: v['skip-fair'] === true,
    extras: v['skip-extras'] !== true,
    timeoutMs: timeoutS * 1000,
    progress: v.progress === true,
    watchSteps: optInt(v, 'watch-steps', 0),
    levers: {
      convGrad: optEnum(v, 'conv-grad', ['forward', 'native'] as const) ?? DEFAULT_LEVERS.convGrad,
      warmUp: optEnum(v, 'warm-up', ['candidates', 'none'] as const) ?? DEFAULT_LEVERS.warmUp,
    },
  };
  let specs: RunSpec[];
  if (config === undefined && backend === undefined) {
    specs = DEFAULT_SET.map((d) => ({ ...common, ...d, steps: steps ?? d.steps, memorySteps: memorySteps ?? d.memorySteps, skipFair: common.skipFair || d.skipFair }));
  } else {
    const name = config ?? 'tiny';
    const backends = backend ? [backend] : BACKENDS;
    specs = backends.map((b) => ({ ...common, config: name, backend: b, steps: steps ?? (DEFAULT_STEPS[name] as number), memorySteps: memorySteps ?? DEFAULT_MEMORY_STEPS }));
  }

  const peer = optEnum(v, 'peer', ['torch'] as const);
  const fusedBn = optEnum(v, 'fused-bn', ['on', 'off'] as const) ?? 'on';
  setFusedBn(fusedBn);
  const abLever = optEnum(v, 'ab', ['conv-grad', 'fused'] as const);
  if (v.census === true || abLever === 'fused') {
    if (specs.length !== 1) throw new UsageError('--census and --ab fused need one --config and one --backend');
    const s = specs[0];
    if (s.backend === 'wasm') throw new UsageError('--census and --ab fused count GPU kernels: use --backend webgpu, webgl, cpu or node');
    const out = await runFusedCommand({ kind: v.census === true ? 'census' : 'ab', config: s.config, backend: s.backend, steps: s.steps, warmupRounds: s.warmupRounds, fusedBn, timeoutMs: s.timeoutMs, progress: s.progress });
    process.stdout.write(`${JSON.stringify({ ...out, machine: hostMachine(out.runtime) })}\n`);
    return 0;
  }
  if (peer && (specs.length !== 1 || !inNode(specs[0].backend))) throw new UsageError('--peer torch goes with one --config and --backend node or wasm (interleaved in one process)');
  const peerThreads = optInt(v, 'threads', 1);
  if (peerThreads !== undefined && !peer) throw new UsageError('--threads goes with --peer torch (the PyTorch peer\'s thread count)');
  if (abLever && specs.length !== 1) throw new UsageError('--ab needs one --config and one --backend');
  if (specs.some((s) => !inNode(s.backend))) await buildBenchPage();
  if (peer) {
    const s = specs[0];
    const runtime = await startNodeBackend(s.backend);
    setFrozenConvGrad(s.levers.convGrad);
    // Same thread count on both sides unless --threads says otherwise.
    const ab = await runTorchPeerAB(s.config, resolveRecipe(s.config), s.steps, s.warmupRounds, peerThreads ?? backendThreads(), s.levers.warmUp === 'candidates');
    process.stdout.write(`${JSON.stringify({ config: s.config, backend: s.backend, oursThreads: backendThreads(), levers: s.levers, date: new Date().toISOString(), machine: hostMachine(runtime), ...ab })}\n`);
    return 0;
  }
  if (abLever) {
    process.stdout.write(`${JSON.stringify(await runAb(specs[0]))}\n`);
    return 0;
  }
  const reports: BenchReport[] = [];
  const failures: string[] = [];
  for (const s of specs) {
    try {
      reports.push(await runOne(s));
    } catch (e) {
      if (specs.length === 1) throw e;
      // In a set, one backend failing (e.g. no WebGPU adapter) is reported and the rest go on.
      failures.push(`${s.config}/${s.backend}: ${(e as Error).message.split('\n')[0]}`);
      process.stderr.write(`bench: ${failures[failures.length - 1]}\n`);
    }
  }
  if (specs.length === 1) {
    process.stdout.write(v.json ? `${JSON.stringify(reports[0])}\n` : `${reportMarkdown(reports[0])}\n`);
  } else {
    process.stdout.write(v.json ? `${JSON.stringify({ runs: reports, failures })}\n` : `${reports.map(reportMarkdown).join('\n\n')}\n`);
  }
  if (v['write-docs']) {
    let doc = readFileSync(DOCS_PATH, 'utf8');
    for (const r of reports) doc = upsertDocsRow(doc, docsRow(r, typeof v.note === 'string' ? v.note : ''));
    writeFileSync(DOCS_PATH, doc);
  }
  return failures.length > 0 && reports.length === 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`bench: ${(e as Error).message.split('\n')[0]}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
}
