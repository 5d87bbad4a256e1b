// Messages between the benchmark page and its worker (bench/browser/bench.worker.ts), and the
// parameters the Node runner puts in the page's query string. Plain data only.
import type { PresetName } from '../../src/core/train/recipe.ts';
import type { FrozenConvGrad } from '../../src/core/model/ops.ts';
import type { ExtrasResult } from '../extras.ts';
import type { LeverAB } from '../leverBench.ts';
import type { StepBenchResult } from '../stepBench.ts';
import type { DataBenchParams } from '../dataBench.ts';
import type { DataBenchCore } from '../dataReport.ts';
import type { FusedBnMode } from '../../src/core/model/fused/bnTrain.ts';
import type { CensusResult } from '../census.ts';
import type { FusedBnAB } from '../fusedAb.ts';
import type { FusedCheckResult } from '../fusedCheck.ts';

export type BrowserBackend = 'webgpu' | 'webgl' | 'cpu';
export const BROWSER_BACKENDS: readonly BrowserBackend[] = ['webgpu', 'webgl', 'cpu'];

export interface BenchParams {
  config: PresetName;
  backend: BrowserBackend;
  steps: number;
  warmupRounds: number;
  memorySteps: number;
  skipFair: boolean;
  extras: boolean;
  maxStepMs: number | null;
  /** Speed lever: the frozen-conv input gradient (src/core/model/ops.ts). */
  convGrad: FrozenConvGrad;
  /** Trainer.warmUp before the timed rounds (stepBench's warmUpCandidates); absent = false. */
  warmUp?: boolean;
  /** Instead of the step benchmark: the convGrad A/B of bench/leverBench.ts. */
  ab: boolean;
  /** Speed lever: fused BN training (src/core/model/fused/); absent = on. */
  fusedBn?: FusedBnMode;
  /** With `ab`: which lever (absent = convGrad). */
  abLever?: 'convGrad' | 'fusedBn';
  /** Instead of the step benchmark: the kernel census (bench/census.ts). */
  census?: boolean;
  /** Instead of the step benchmark: the fused-BN equality and leak check (bench/fusedCheck.ts), with this many leak steps. */
  fusedCheckSteps?: number;
  /** Instead of the step benchmark: the data benchmark of bench/dataBench.ts (JSON in the query). */
  dataBench?: DataBenchParams;
}

export type WorkerReply =
  | { type: 'progress'; text: string }
  | { type: 'done'; result: StepBenchResult; extras: ExtrasResult | null; adapter: string | null }
  | { type: 'ab'; ab: LeverAB; adapter: string | null }
  | { type: 'data'; data: DataBenchCore; adapter: string | null }
  | { type: 'abFused'; ab: FusedBnAB; adapter: string | null }
  | { type: 'census'; census: CensusResult; adapter: string | null }
  | { type: 'fusedCheck'; check: FusedCheckResult; adapter: string | null }
  | { type: 'error'; message: string };

/** Query string <-> params (the runner writes it, the page reads it). */
export function paramsToQuery(p: BenchParams): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined) q.set(k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  return q.toString();
}

export function paramsFromQuery(search: string): BenchParams {
  const q = new URLSearchParams(search);
  const need = (k: string): string => {
    const v = q.get(k);
    if (v === null) throw new Error(`bench page: query parameter "${k}" is missing`);
    return v;
  };
  const int = (k: string): number => {
    const n = Number(need(k));
    if (!Number.isInteger(n) || n < 0) throw new Error(`bench page: "${k}" must be an integer >= 0, got "${q.get(k)}"`);
    return n;
  };
  const backend = need('backend') as BrowserBackend;
  if (!BROWSER_BACKENDS.includes(backend)) throw new Error(`bench page: backend "${backend}" is not one of ${BROWSER_BACKENDS.join(', ')}`);
  const maxStep = need('maxStepMs');
  return {
    config: need('config') as PresetName,
    backend,
    steps: int('steps'),
    warmupRounds: int('warmupRounds'),
    memorySteps: int('memorySteps'),
    skipFair: need('skipFair') === 'true',
    extras: need('extras') === 'true',
    maxStepMs: maxStep === 'null' ? null : Number(maxStep),
    convGrad: need('convGrad') === 'native' ? 'native' : 'forward',
    warmUp: q.get('warmUp') === 'true',
    ab: need('ab') === 'true',
    fusedBn: q.get('fusedBn') === 'off' ? 'off' : 'on',
    ...(q.get('abLever') === 'fusedBn' ? { abLever: 'fusedBn' as const } : {}),
    census: q.get('census') === 'true',
    ...(q.get('fusedCheckSteps') === null ? {} : { fusedCheckSteps: int('fusedCheckSteps') }),
    ...(q.get('dataBench') === null ? {} : { dataBench: JSON.parse(need('dataBench')) as DataBenchParams }),
  };
}
