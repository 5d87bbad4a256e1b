// `npm run -s bench -- --config tiny|small|paper --backend cpu [--steps N] [--json]`: the Node
// runner of the step benchmark (bench/stepBench.ts) on the tfjs cpu backend. Browser backends
// (webgpu, webgl, wasm) are measured by a browser runner over the same core, not from Node.
// Output: a markdown table, or with --json ONE JSON object on stdout; --write-docs also puts the
// run's row into docs/benchmarks.md. Errors: one line on stderr, exit 2 for a bad argument.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { PRESETS, resolveRecipe, type PresetName } from '../src/core/config.ts';
import { useNodeCpuBackend } from '../src/core/platform/node.ts';
import { optEnum, optInt, optNumber, parse, UsageError } from '../src/cli/args.ts';
import { docsRow, makeReport, reportMarkdown, upsertDocsRow, type MachineInfo } from './report.ts';
import { DEFAULT_STEP_BENCH, runStepBench } from './stepBench.ts';

const USAGE =
  'usage: npm run -s bench -- --config tiny|small|paper [--backend cpu] [--steps N] [--warmup N] [--json] ' +
  '[--write-docs [--note TEXT]] [--max-step-s S] [--skip-fair] [--progress]';

const OPTIONS = {
  config: { type: 'string' }, backend: { type: 'string' }, steps: { type: 'string' }, warmup: { type: 'string' },
  json: { type: 'boolean' }, 'write-docs': { type: 'boolean' }, note: { type: 'string' }, 'max-step-s': { type: 'string' },
  'skip-fair': { type: 'boolean' }, progress: { type: 'boolean' }, help: { type: 'boolean' },
} as const;

/** Timed steps when --steps is not given; paper has none (minutes per step on the cpu backend). */
const DEFAULT_STEPS: Record<PresetName, number | null> = { tiny: 10, small: 5, paper: null };
const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm'];
const DOCS_PATH = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, runtime: `node ${process.version}`, platform: `${os.platform()} ${os.arch()}` };
}

async function main(argv: string[]): Promise<number> {
  const v = parse(argv, OPTIONS);
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const name = optEnum(v, 'config', Object.keys(PRESETS) as PresetName[]);
  if (!name) throw new UsageError(`missing --config (one of ${Object.keys(PRESETS).join(', ')})`);
  const backend = typeof v.backend === 'string' ? v.backend : 'cpu';
  if (BROWSER_BACKENDS.includes(backend)) {
    throw new UsageError(`--backend ${backend}: browser backends are measured by the browser runner, which is not available yet; from Node only "cpu" can be measured`);
  }
  if (backend !== 'cpu') throw new UsageError(`--backend "${backend}" is unknown; from Node only "cpu" can be measured`);
  const steps = optInt(v, 'steps', 1) ?? DEFAULT_STEPS[name];
  if (steps === null) throw new UsageError(`--config ${name} needs an explicit --steps N (it is very slow on the cpu backend)`);
  const warmupRounds = optInt(v, 'warmup', 1) ?? DEFAULT_STEP_BENCH.warmupRounds;
  const maxStepS = optNumber(v, 'max-step-s', (n) => n > 0, 'a number > 0');
  if (v.note !== undefined && !v['write-docs']) throw new UsageError('--note only goes with --write-docs');

  await useNodeCpuBackend();
  const recipe = resolveRecipe(name);
  const result = await runStepBench(recipe, {
    ...DEFAULT_STEP_BENCH,
    steps,
    warmupRounds,
    maxStepMs: maxStepS === undefined ? null : maxStepS * 1000,
    skipFair: v['skip-fair'] === true,
    onStep: v.progress ? (e) => process.stderr.write(`round ${e.round} ${e.variant} ${e.ms.toFixed(0)} ms\n`) : undefined,
  });
  const report = makeReport(name, recipe, result, machineInfo(), new Date());
  process.stdout.write(v.json ? `${JSON.stringify(report)}\n` : `${reportMarkdown(report)}\n`);
  if (v['write-docs']) {
    const row = docsRow(report, typeof v.note === 'string' ? v.note : '');
    writeFileSync(DOCS_PATH, upsertDocsRow(readFileSync(DOCS_PATH, 'utf8'), row));
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`bench: ${(e as Error).message.split('\n')[0]}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
}
