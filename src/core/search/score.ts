// Scoring rules over the indicator table s(l, c) (docs/method.md §6). Pure
// functions: no tensors, no randomness. A rule turns the table into one additive term per
// (layer, choice); the fitness of an architecture is the sum of its layers' terms.
//
// - `bnnas` (BN-NAS exactly): term(l, c) = s(l, c); the identity (-1) counts 0.
// - `dirf` (default): term(l, c) = log(s(l, c) / ref(l)), where ref(l) = s(l, -1) on a layer that
//   offers the identity candidate (a normal layer with the layer indicator), and otherwise the
//   mean of s(l, c') over the layer's choices (reduction layers). A table without identity on its
//   normal layers (a supernet trained with `--identity off`) has no layer indicator, so its normal
//   layers fall back to the reduction-layer normalisation (the mean over the layer's choices).
//   The identity itself scores log(1) = 0 under `dirf`.
import type { IndicatorTable } from '../model/indicatorTable.ts';
import type { Arch, ResolvedSpace } from '../space/types.ts';
import { IDENTITY } from '../space/types.ts';

export type ScoreRule = 'dirf' | 'bnnas';
export const SCORE_RULES: readonly ScoreRule[] = ['dirf', 'bnnas'];
export const DEFAULT_SCORE_RULE: ScoreRule = 'dirf';

/** Per-layer additive terms: terms[l].get(choice) is layer l's contribution to the fitness. */
export type LayerTerms = Array<Map<number, number>>;

/** Throws (naming the layer) unless every score is finite and >= 0 and choices align with scores. */
export function checkTableShape(table: IndicatorTable): void {
  if (!table || !Array.isArray(table.layers) || table.layers.length === 0) throw new Error('indicator table has no layers');
  table.layers.forEach((l, i) => {
    if (!l || l.layerIdx !== i) throw new Error(`indicator table: entry ${i} has layerIdx ${String(l?.layerIdx)}, expected ${i}`);
    if (typeof l.normal !== 'boolean') throw new Error(`indicator table: layer ${i}: normal must be a boolean`);
    if (!Array.isArray(l.choices) || !Array.isArray(l.scores) || l.choices.length === 0 || l.choices.length !== l.scores.length) {
      throw new Error(`indicator table: layer ${i}: needs as many scores as choices (at least one)`);
    }
    if (new Set(l.choices).size !== l.choices.length || !l.choices.every((c) => Number.isInteger(c))) {
      throw new Error(`indicator table: layer ${i}: choices must be distinct integers`);
    }
    l.scores.forEach((s, k) => {
      if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
        throw new Error(`indicator table: layer ${i}, choice ${l.choices[k]}: score must be a finite number >= 0, got ${String(s)}`);
      }
    });
  });
}

/** Throws unless the table has exactly the layers and choices of `rs` (and a valid shape). */
export function checkTableFits(table: IndicatorTable, rs: ResolvedSpace): void {
  checkTableShape(table);
  if (table.layers.length !== rs.layers.length) {
    throw new Error(`indicator table has ${table.layers.length} layers; ${rs.space.id} has ${rs.layers.length}`);
  }
  rs.layers.forEach((l, i) => {
    const t = table.layers[i];
    if (t.normal !== l.normal || t.choices.join(',') !== l.choices.join(',')) {
      throw new Error(`indicator table: layer ${i} offers choices [${t.choices}] (normal ${t.normal}); ${rs.space.id} with this config has [${l.choices}] (normal ${l.normal})`);
    }
  });
}

/** The additive term of every (layer, choice) under `rule`. Validates the table. */
export function layerTerms(table: IndicatorTable, rule: ScoreRule): LayerTerms {
  checkTableShape(table);
  return table.layers.map((l) => {
    const terms = new Map<number, number>();
    if (rule === 'bnnas') {
      l.choices.forEach((c, k) => terms.set(c, c === IDENTITY ? 0 : l.scores[k]));
      return terms;
    }
    const idPos = l.choices.indexOf(IDENTITY);
    const ref = idPos >= 0 ? l.scores[idPos] : l.scores.reduce((a, b) => a + b, 0) / l.scores.length;
    l.choices.forEach((c, k) => {
      const s = l.scores[k];
      if (!(s > 0) || !(ref > 0)) {
        throw new Error(`dirf: layer ${l.layerIdx}, choice ${c}: needs positive scores (score ${s}, reference ${ref}); use --rule bnnas`);
      }
      terms.set(c, c === IDENTITY ? 0 : Math.log(s / ref));
    });
    return terms;
  });
}

/** Fitness of `arch` from precomputed terms; throws if a choice is not in the table. */
export function fitnessFromTerms(terms: LayerTerms, arch: Arch): number {
  if (arch.length !== terms.length) throw new Error(`architecture has ${arch.length} choices; the indicator table has ${terms.length} layers`);
  let f = 0;
  for (let l = 0; l < arch.length; l++) {
    const t = terms[l].get(arch[l]);
    if (t === undefined) throw new Error(`layer ${l}: choice ${arch[l]} is not in the indicator table`);
    f += t;
  }
  return f;
}

/** Fitness of `arch` under `rule` (sum of its layers' terms). */
export function fitness(table: IndicatorTable, rule: ScoreRule, arch: Arch): number {
  return fitnessFromTerms(layerTerms(table, rule), arch);
}

/**
 * The single best subnet: the argmax term of every layer (ties go to the first choice in table
 * order, identity first). Ignores cost limits: it may exceed them.
 */
export function bestArch(table: IndicatorTable, rule: ScoreRule): Arch {
  const terms = layerTerms(table, rule);
  return table.layers.map((l, i) => {
    let best = l.choices[0];
    for (const c of l.choices) if (terms[i].get(c)! > terms[i].get(best)!) best = c;
    return best;
  });
}
