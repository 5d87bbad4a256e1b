// The worker's search and export (protocol/search.ts): a thin adapter over core's runSearch
// (src/core/search/searchRun.ts) on a snapshot of the session's indicator table. It checks the
// command (input errors are answered before the search starts), runs the search as a background
// job (job.ts) that yields to the worker's event loop after each generation (so searchStop and
// the train controls are handled meanwhile) and streams throttled generation events, stores the
// result with the session's run (`save`, the runs handler) and posts it; and exports a picked
// subnet as JSON / timm. Pure data in and out: no tensors besides the one asynchronous read of the
// indicator table (TrainSession.indicators), no DOM.
import {
  bestArch,
  checkRunSearchInput,
  DEFAULT_EVOLUTION,
  exportSubnet,
  fitness,
  runSearch,
  timmArchDef,
  type Candidate,
  type EvolutionConfig,
  type GenerationStats,
  type RunSearchInput,
  type SearchResult,
  type SubnetSource,
} from '../core/search/index.ts';
import { archCost, referenceConfig } from '../core/space/cost.ts';
import { resolveSpace, validateArch } from '../core/space/decode.ts';
import { getSpace } from '../core/space/spaces.ts';
import type { Arch } from '../core/space/types.ts';
import {
  EXPORT_FORMATS,
  SCORE_RULE_NAMES,
  type ExportCommand,
  type ScoreRuleName,
  type SearchCandidate,
  type SearchCommand,
  type SearchGenerationStats,
  type RunSummary,
  type SearchResultEvent,
  type SearchStopCommand,
  type StoredSearch,
} from './protocol/index.ts';
import { errorMessage } from '../core/errors.ts';
import { JobSlot, nextTask as defaultNextTask, type Post } from './job.ts';

/** Smallest gap between two `searchGeneration` events, in milliseconds (the last is always sent). */
export const SEARCH_EVENT_EVERY_MS = 250;
/** Bounds on the lab's population / generations (the core only needs >= 1; these keep a tab alive). */
export const MAX_POPULATION = 1000;
export const MAX_GENERATIONS = 1000;

/** What the search needs of a training session (TrainSession satisfies it). */
export interface SearchableSession {
  readonly steps: number;
  readonly trainer: {
    readonly recipe: Pick<SubnetSource, 'space' | 'config' | 'seed' | 'init'>;
  };
  /** The indicator table now (one asynchronous read-back). */
  indicators(): Promise<SubnetSource['table']>;
}

export type { Post } from './job.ts';

/**
 * Stores a finished (or stopped) search with the run of the session it searched: that run's
 * summary, or null when the session has no live run any more. engine.worker.ts passes the runs
 * handler's; without one nothing is stored.
 */
export type SaveSearch = (session: SearchableSession, search: StoredSearch) => Promise<RunSummary | null>;

export interface SearchServiceOptions {
  /** Clock of the event throttle (milliseconds). */
  now?: () => number;
  /** Yields to the worker's event loop between generations. */
  nextTask?: () => Promise<void>;
  save?: SaveSearch;
}

interface Snapshot {
  source: SubnetSource;
  /** Training steps the table had taken. */
  step: number;
}

/** The session's identity and indicator table now; refuses without a trained session. */
export async function snapshotSession(session: SearchableSession | null, verb: string): Promise<Snapshot> {
  if (session === null) throw new Error(`${verb}: no supernet yet (build and train one first)`);
  if (session.steps < 1) throw new Error(`${verb}: the supernet has not been trained yet (train at least one step first)`);
  const step = session.steps;
  const r = session.trainer.recipe;
  const table = await session.indicators();
  return { source: { space: r.space, config: { ...r.config }, seed: r.seed, init: r.init, table }, step };
}

/**
 * Evolution options of a search command. The lab exposes the population and the number of
 * generations only; mutation and crossover children are half the population each and the parents
 * a fifth of it (SPOS's 25 / 25 / 10 of 50), so a small population stays a small population.
 */
export function evolutionOptions(cmd: Pick<SearchCommand, 'populationSize' | 'generations'>): Partial<EvolutionConfig> {
  const o: Partial<EvolutionConfig> = {};
  if (cmd.populationSize !== undefined) {
    const p = cmd.populationSize;
    if (!Number.isInteger(p) || p < 2 || p > MAX_POPULATION) throw new Error(`search: populationSize must be an integer in 2..${MAX_POPULATION}, got ${p}`);
    o.populationSize = p;
    o.numMutation = Math.floor(p / 2);
    o.numCrossover = Math.floor(p / 2);
    o.numParents = Math.max(1, Math.round(p / 5));
  }
  if (cmd.generations !== undefined) {
    const g = cmd.generations;
    if (!Number.isInteger(g) || g < 1 || g > MAX_GENERATIONS) throw new Error(`search: generations must be an integer in 1..${MAX_GENERATIONS}, got ${g}`);
    o.generations = g;
  }
  return o;
}

function checkRule(rule: unknown, what: string): ScoreRuleName {
  if (!SCORE_RULE_NAMES.includes(rule as ScoreRuleName)) throw new Error(`${what}: rule must be one of ${SCORE_RULE_NAMES.join(', ')}, got ${JSON.stringify(rule)}`);
  return rule as ScoreRuleName;
}

function checkLimit(v: unknown, name: string): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`search: ${name} must be null or a number > 0, got ${JSON.stringify(v)}`);
  return v;
}

const candidate = (c: Candidate): SearchCandidate => ({ arch: [...c.arch], fitness: c.fitness, macs: c.macs, params: c.params });
const stats = (s: GenerationStats): SearchGenerationStats => ({ generation: s.generation, best: s.best, mean: s.mean, evaluated: s.evaluated, rejected: s.rejected });

/** A file name for an export: space, the arch (identity as i) and the format. */
export function exportFilename(space: string, arch: Arch, format: 'json' | 'timm'): string {
  const tag = arch.map((c) => (c < 0 ? 'i' : String(c))).join('');
  return `isonas-${space}-${tag}${format === 'timm' ? '.timm' : ''}.json`;
}

export class SearchService {
  private readonly jobs: JobSlot;
  /** The last search's table and rule, tied to the session it came from (export uses it). */
  private last: { session: SearchableSession; snap: Snapshot; rule: ScoreRuleName } | null = null;
  private readonly now: () => number;
  private readonly nextTask: () => Promise<void>;
  private readonly save: SaveSearch | null;

  constructor(
    private readonly post: Post,
    opts: SearchServiceOptions = {},
  ) {
    this.jobs = new JobSlot(post, 'search failed');
    this.now = opts.now ?? (() => performance.now());
    this.nextTask = opts.nextTask ?? defaultNextTask;
    this.save = opts.save ?? null;
  }

  get running(): boolean {
    return this.jobs.running;
  }

  /** Resolves when the running search (if any) has ended. */
  async settled(): Promise<void> {
    await this.jobs.settled();
  }

  /**
   * Checks the command, snapshots the table, checks the search's input (core's
   * checkRunSearchInput) and starts the search in the background; input errors throw (the worker
   * answers them with the command's id). The search answers with `searchResult`.
   */
  async start(cmd: SearchCommand, session: SearchableSession | null): Promise<void> {
    if (this.jobs.running) throw new Error('search: a search is already running (stop it first)');
    const rule = checkRule(cmd.rule, 'search');
    const maxMacs = checkLimit(cmd.maxMacs, 'maxMacs');
    const maxParams = checkLimit(cmd.maxParams, 'maxParams');
    if (!Number.isInteger(cmd.seed) || cmd.seed < 0 || cmd.seed > 0xffffffff) throw new Error(`search: seed must be an integer in 0..2^32-1, got ${cmd.seed}`);
    const options = evolutionOptions(cmd);
    const snap = await snapshotSession(session, 'search');
    const { source } = snap;
    const input: RunSearchInput = { space: getSpace(source.space), config: source.config, table: source.table, rule, limits: { maxMacs, maxParams }, seed: cmd.seed, options };
    checkRunSearchInput(input); // options, the table against the space; dirf refuses zero scores
    this.last = { session: session!, snap, rule };
    const generations = options.generations ?? DEFAULT_EVOLUTION.generations;
    const populationSize = options.populationSize ?? DEFAULT_EVOLUTION.populationSize;

    // The candidates scored since the last event, for the scatter; the latest generation's statistics.
    let macs: number[] = [];
    let scores: number[] = [];
    let lastSent = -Infinity;
    let latest: GenerationStats | null = null;
    const flush = () => {
      if (latest === null) return;
      const m = Float64Array.from(macs);
      const f = Float64Array.from(scores);
      macs = [];
      scores = [];
      lastSent = this.now();
      this.post({ type: 'searchGeneration', id: cmd.id, generations, ...stats(latest), macs: m, fitness: f }, [m.buffer, f.buffer]);
    };

    this.jobs.start(cmd.id, async (job) => {
      const r = await runSearch({
        ...input,
        onCandidate: (c) => {
          macs.push(c.macs);
          scores.push(c.fitness);
        },
        onGeneration: async (s) => {
          latest = s;
          if (this.now() - lastSent >= SEARCH_EVENT_EVERY_MS) flush();
          await this.nextTask(); // searchStop (and any other command) is handled here
        },
        shouldStop: () => job.stopRequested,
      });
      if (macs.length > 0 || lastSent === -Infinity) flush();
      const ev = this.resultEvent(cmd, rule, snap, r, r.stopped, generations, populationSize);
      await this.store(session!, ev);
      this.post(ev);
    });
  }

  /** Stops the running search before its next candidate; answers `searchStopped` once it has ended. */
  async stop(cmd: SearchStopCommand): Promise<void> {
    const wasRunning = await this.jobs.stop();
    this.post({ type: 'searchStopped', id: cmd.id, wasRunning });
  }

  /** Exports `arch` of the session (the last search's table, else a snapshot now); answers `exported`. */
  async export(cmd: ExportCommand, session: SearchableSession | null): Promise<void> {
    if (!EXPORT_FORMATS.includes(cmd.format)) throw new Error(`export: format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(cmd.format)}`);
    const fromSearch = this.last !== null && session !== null && this.last.session === session ? this.last : null;
    const snap = fromSearch?.snap ?? (await snapshotSession(session, 'export'));
    const rule = cmd.rule === undefined ? (fromSearch?.rule ?? 'dirf') : checkRule(cmd.rule, 'export');
    const { source } = snap;
    const space = getSpace(source.space);
    if (!Array.isArray(cmd.arch)) throw new Error('export: arch must be an array of choice indices');
    try {
      validateArch(resolveSpace(space, source.config), cmd.arch);
    } catch (e) {
      throw new Error(`export: ${(e as Error).message}`);
    }
    const value = cmd.format === 'json' ? exportSubnet(source, cmd.arch, rule) : timmArchDef(space, source.config, cmd.arch);
    this.post({ type: 'exported', id: cmd.id, format: cmd.format, filename: exportFilename(source.space, cmd.arch, cmd.format), text: `${JSON.stringify(value, null, 2)}\n` });
  }

  /** Stores the result with the session's run (when there is a saver) and says so with `searchSaved`; a failure is reported, not thrown. */
  private async store(session: SearchableSession, ev: SearchResultEvent): Promise<void> {
    if (this.save === null) return;
    const { type: _type, id, ...search } = ev;
    try {
      const run = await this.save(session, search);
      if (run !== null) this.post({ type: 'searchSaved', id, run });
    } catch (err) {
      this.post({ type: 'searchSaved', id, run: null, problem: errorMessage(err) });
    }
  }

  private resultEvent(cmd: SearchCommand, rule: ScoreRuleName, snap: Snapshot, r: SearchResult, stopped: boolean, generations: number, populationSize: number): SearchResultEvent {
    const { source } = snap;
    const space = getSpace(source.space);
    const argmax = bestArch(source.table, rule);
    const argCost = archCost(space, source.config, argmax).reference;
    const maxMacs = cmd.maxMacs ?? null;
    const maxParams = cmd.maxParams ?? null;
    return {
      type: 'searchResult',
      id: cmd.id,
      stopped,
      space: source.space,
      widthMult: source.config.widthMult,
      rule,
      seed: cmd.seed,
      maxMacs,
      maxParams,
      populationSize,
      generations,
      tableStep: snap.step,
      top: r.top.map(candidate),
      pareto: r.pareto.map(candidate),
      history: r.history.map(stats),
      evaluated: r.evaluated,
      argmax: {
        arch: argmax,
        fitness: fitness(source.table, rule, argmax),
        macs: argCost.macs,
        params: argCost.params,
        withinLimits: (maxMacs === null || argCost.macs <= maxMacs) && (maxParams === null || argCost.params <= maxParams),
      },
    };
  }
}
