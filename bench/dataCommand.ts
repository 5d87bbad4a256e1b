// `npm run -s bench -- --data-bench [--backend node|webgl|webgpu|cpu] [--json] [--write-docs [--note T]]`:
// the data benchmark (bench/dataBench.ts) in Node (shards as files in a temporary directory read
// through src/cli/nodeFile.ts, jpeg-js, the tfjs cpu backend for the training rate) or in the
// browser worker (shards as Blobs, createImageBitmap, the training rate on the named tfjs
// backend). Prints one JSON object (--json) or markdown; --write-docs puts the run's rows into
// docs/benchmarks.md ("Data: parse and decode").
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { resolveRecipe, type PresetName } from '../src/core/train/recipe.ts';
import { jpegBytes } from '../src/core/data/fixtures/images.ts';
import { jsImageDecoder } from '../src/core/platform/jsDecoder.ts';
import { useNodeCpuBackend } from '../src/core/platform/node.ts';
import { nodeFile } from '../src/cli/nodeFile.ts';
import { optInt, optNumber, UsageError } from '../src/cli/args.ts';
import { DEFAULT_PRESET } from '../src/ui/config/urlState.ts';
import { PRESET_SETTINGS } from '../src/worker/protocol/index.ts';
import type { BrowserBackend } from './browser/protocol.ts';
import { buildBenchPage, runDataInBrowser } from './browserRun.ts';
import { runDataBench, type DataBenchParams } from './dataBench.ts';
import { dataMarkdown, upsertDataDocs, type DataBenchCore, type DataBenchReport } from './dataReport.ts';
import { DECODE_IMAGES, decodePixel } from './decodeBench.ts';
import { DEFAULT_PARSE_SHARD, type FileMaker } from './parseBench.ts';
import type { MachineInfo } from './report.ts';

/** The data benchmark's own options (bench/main.ts adds them to its OPTIONS). */
export const DATA_OPTIONS = {
  'data-bench': { type: 'boolean' },
  'data-mb': { type: 'string' },
  passes: { type: 'string' },
  'decode-images': { type: 'string' },
  'decode-s': { type: 'string' },
  'train-steps': { type: 'string' },
  'train-img-s': { type: 'string' },
  'skip-parse': { type: 'boolean' },
} as const;

export const DATA_USAGE =
  '--data-bench [--backend node|webgl|webgpu|cpu] [--config C] [--data-mb MB] [--passes N] [--decode-images N] [--decode-s S] [--train-steps N | --train-img-s X] [--skip-parse] [--json] [--write-docs [--note T]]';

export interface DataCommandContext {
  backend: 'node' | BrowserBackend;
  config: PresetName | undefined;
  json: boolean;
  writeDocs: boolean;
  note: string;
  timeoutMs: number;
  progress: boolean;
  docsPath: string;
}

/** Option values -> the run's parameters (throws UsageError on a bad value). */
export function dataParams(v: Record<string, unknown>): DataBenchParams {
  const mb = optNumber(v, 'data-mb', (n) => n > 0 && n <= 1024, 'a number of MB in (0, 1024]');
  const trainImgS = optNumber(v, 'train-img-s', (n) => n > 0, 'a number > 0') ?? null;
  const trainSteps = optInt(v, 'train-steps', 0);
  if (trainImgS !== null && trainSteps !== undefined) throw new UsageError('--train-steps and --train-img-s exclude each other');
  return {
    shard: { ...DEFAULT_PARSE_SHARD, totalBytes: mb === undefined ? DEFAULT_PARSE_SHARD.totalBytes : mb * 1e6, passes: optInt(v, 'passes', 1) ?? DEFAULT_PARSE_SHARD.passes },
    decodeImages: optInt(v, 'decode-images', 1) ?? 32,
    decodeMs: (optNumber(v, 'decode-s', (n) => n >= 0, 'a number >= 0') ?? 2) * 1000,
    trainSteps: trainSteps ?? 2,
    trainImagesPerSecond: trainImgS,
    skipParse: v['skip-parse'] === true,
  };
}

/** Shards as files in a fresh temporary directory (removed by `cleanup`). */
async function tempFiles(): Promise<FileMaker & { cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(os.tmpdir(), 'isonas-databench-'));
  const paths = new Map<string, string>();
  return {
    async make(name, bytes) {
      const path = join(dir, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
      paths.set(name, path);
      return nodeFile(path, bytes.length, name);
    },
    async drop(files) {
      await Promise.all(files.map((f) => rm(paths.get(f.name) ?? join(dir, f.name), { force: true })));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

function machine(runtime: string): MachineInfo {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, runtime, platform: `${os.platform()} ${os.arch()}` };
}

export async function runDataCommand(v: Record<string, unknown>, c: DataCommandContext): Promise<number> {
  const params = dataParams(v);
  const preset = c.config ?? DEFAULT_PRESET;
  const recipe = resolveRecipe(preset);
  const log = (line: string) => {
    if (c.progress) process.stderr.write(`[data/${c.backend}] ${line}\n`);
  };
  let core: DataBenchCore;
  let runtime: string;
  if (c.backend === 'node') {
    await useNodeCpuBackend();
    const files = await tempFiles();
    try {
      const d = DECODE_IMAGES;
      const jpegs = async () => Array.from({ length: d.count }, (_, i) => jpegBytes(d.width, d.height, decodePixel(i), d.quality));
      core = await runDataBench(params, { recipe, files, decoder: jsImageDecoder, jpegs, onProgress: log });
    } finally {
      await files.cleanup();
    }
    runtime = `node ${process.version}`;
  } else {
    await buildBenchPage();
    const p = { config: preset, backend: c.backend, steps: 1, warmupRounds: 1, memorySteps: 0, skipFair: true, extras: false, maxStepMs: null, convGrad: 'forward' as const, warmUp: false, ab: false, dataBench: params };
    const r = await runDataInBrowser(p, { timeoutMs: c.timeoutMs, onProgress: log });
    core = r.data;
    runtime = r.adapter ? `${r.browser}, ${r.adapter}` : r.browser;
  }
  const s = PRESET_SETTINGS[preset];
  const report: DataBenchReport = {
    kind: 'data',
    backend: c.backend,
    date: new Date().toISOString(),
    machine: machine(runtime),
    loadAverage: os.loadavg(),
    defaultConfig: { preset, resolution: recipe.config.resolution, batchSize: recipe.batchSize, mode: s.mode, sampler: s.sampler },
    shard: {
      payloadMB: params.shard.totalBytes / 1e6,
      meanPayloadKB: params.shard.payloadBytes / 1e3,
      passes: params.shard.passes,
      parquetRowGroup: params.shard.parquetRowGroup,
      files: c.backend === 'node' ? 'files in the temp directory (src/cli/nodeFile.ts)' : 'Blobs in the browser worker (File.slice)',
    },
    ...core,
  };
  process.stdout.write(c.json ? `${JSON.stringify(report)}\n` : `${dataMarkdown(report)}\n`);
  if (c.writeDocs) writeFileSync(c.docsPath, upsertDataDocs(readFileSync(c.docsPath, 'utf8'), report, c.note));
  return 0;
}
