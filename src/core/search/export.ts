// Versioned JSON export of a picked subnet (docs/method.md §8): everything needed to rebuild it
// and to see why it was picked. `importSubnet` validates every field (and recomputes the cost and
// the fitness) and reads it back to the same subnet; errors name the source.
import { checkJsonText } from '../limits.ts';
import { INIT_NAMES, type InitName } from '../init/index.ts';
import type { IndicatorTable } from '../model/indicatorTable.ts';
import { archCost, type Cost } from '../space/cost.ts';
import { choiceLabel, resolveSpace, validateArch, validateConfig } from '../space/decode.ts';
import { getSpace } from '../space/spaces.ts';
import type { Arch, SpaceConfig, SpaceId } from '../space/types.ts';
import { checkTableFits, fitness, SCORE_RULES, type ScoreRule } from './score.ts';

export const SUBNET_FORMAT = 'isonas-subnet';
export const SUBNET_VERSION = 1;

export interface SubnetExport {
  format: typeof SUBNET_FORMAT;
  version: typeof SUBNET_VERSION;
  space: SpaceId;
  /** The configuration the supernet was trained with. */
  config: SpaceConfig;
  /** Seed and initialiser of the supernet (its frozen weights are a function of them). */
  seed: number;
  init: InitName;
  /** One choice index per searchable layer (-1 = identity) and their labels. */
  choices: Arch;
  labels: string[];
  /** Exact cost at `config`, and at the 224 px / 1000-class reference with the same width. */
  macs: number;
  params: number;
  reference: Cost;
  fitness: { rule: ScoreRule; value: number };
  /** The supernet's indicator table s(l, c) the fitness was computed from. */
  indicators: IndicatorTable;
}

/** What a subnet is picked from: a trained supernet's identity and its indicator table. */
export interface SubnetSource {
  space: SpaceId;
  config: SpaceConfig;
  seed: number;
  init: InitName;
  table: IndicatorTable;
}

/** The export of `arch` picked from `src` under `rule`. Validates the arch and the table. */
export function exportSubnet(src: SubnetSource, arch: Arch, rule: ScoreRule): SubnetExport {
  const space = getSpace(src.space);
  const rs = resolveSpace(space, src.config);
  validateArch(rs, arch);
  checkTableFits(src.table, rs);
  const cost = archCost(space, src.config, arch);
  return {
    format: SUBNET_FORMAT,
    version: SUBNET_VERSION,
    space: src.space,
    config: { ...src.config },
    seed: src.seed,
    init: src.init,
    choices: [...arch],
    labels: arch.map((c) => choiceLabel(space, c)),
    macs: cost.macs,
    params: cost.params,
    reference: { ...cost.reference },
    fitness: { rule, value: fitness(src.table, rule, arch) },
    indicators: { layers: src.table.layers.map((l) => ({ layerIdx: l.layerIdx, normal: l.normal, choices: [...l.choices], scores: [...l.scores] })) },
  };
}

const KEYS = ['format', 'version', 'space', 'config', 'seed', 'init', 'choices', 'labels', 'macs', 'params', 'reference', 'fitness', 'indicators'];

/** Reads an export (JSON text or parsed value) back; throws `<source>: <what is wrong>`. */
export function importSubnet(json: string | unknown, source: string): SubnetExport {
  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg}`);
  };
  let v: unknown = json;
  if (typeof json === 'string') {
    try {
      checkJsonText(json, source); // size and depth first: a hostile file costs no more than its size
    } catch (e) {
      fail((e as Error).message.replace(`${source}: `, ''));
    }
    try {
      v = JSON.parse(json);
    } catch (e) {
      fail(`not JSON (${(e as Error).message})`);
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return fail('not a subnet export (expected a JSON object)');
  const o = v as Record<string, unknown>;
  if (o.format !== SUBNET_FORMAT) fail(`not an isonas subnet export (format ${JSON.stringify(o.format)}, expected "${SUBNET_FORMAT}")`);
  if (o.version !== SUBNET_VERSION) fail(`subnet export version ${JSON.stringify(o.version)} is not supported (this build reads version ${SUBNET_VERSION})`);
  const unknown = Object.keys(o).filter((k) => !KEYS.includes(k));
  if (unknown.length) fail(`unknown field(s) ${unknown.join(', ')}`);
  const wrap = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      return fail(`${what}: ${(e as Error).message}`);
    }
  };
  const space = wrap('space', () => getSpace(String(o.space)));
  const config = o.config as SpaceConfig;
  wrap('config', () => validateConfig(config));
  const rs = wrap('config', () => resolveSpace(space, config));
  if (typeof o.seed !== 'number' || !Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) fail(`seed must be an integer in 0..2^32-1, got ${JSON.stringify(o.seed)}`);
  if (!INIT_NAMES.includes(o.init as InitName)) fail(`init must be one of ${INIT_NAMES.join(', ')}, got ${JSON.stringify(o.init)}`);
  const arch = o.choices as Arch;
  wrap('choices', () => validateArch(rs, arch));
  const labels = arch.map((c) => choiceLabel(space, c));
  if (!Array.isArray(o.labels) || o.labels.join(',') !== labels.join(',')) fail(`labels do not match the choices (expected ${labels.join(',')})`);
  const table = o.indicators as IndicatorTable;
  wrap('indicators', () => checkTableFits(table, rs));
  const cost = archCost(space, config, arch);
  const ref = o.reference as Cost | undefined;
  if (o.macs !== cost.macs || o.params !== cost.params || ref?.macs !== cost.reference.macs || ref?.params !== cost.reference.params) {
    fail(`cost does not match the architecture (computed ${cost.macs} MACs / ${cost.params} params, reference ${cost.reference.macs} / ${cost.reference.params})`);
  }
  const fit = o.fitness as { rule?: unknown; value?: unknown } | undefined;
  if (!fit || !SCORE_RULES.includes(fit.rule as ScoreRule)) fail(`fitness.rule must be one of ${SCORE_RULES.join(', ')}, got ${JSON.stringify(fit?.rule)}`);
  const rule = fit!.rule as ScoreRule;
  const value = wrap('fitness', () => fitness(table, rule, arch));
  if (typeof fit!.value !== 'number' || !(Math.abs(fit!.value - value) <= 1e-9 * Math.max(1, Math.abs(value)))) {
    fail(`fitness.value ${JSON.stringify(fit!.value)} does not match the indicator table (${rule}: ${value})`);
  }
  return exportSubnet({ space: space.id, config, seed: o.seed as number, init: o.init as InitName, table }, arch, rule);
}
