// Fast exact cost of many architectures of one space: cost is additive over blocks and each
// searchable layer's input size and channels do not depend on the other layers' choices, so the
// cost of an architecture is the fixed prefix + suffix plus one table entry per layer. Equals
// `archCost` exactly (integer sums); the test checks it on random architectures.
import { blockCost } from '../space/cost.ts';
import { candidateBlock, validateArch } from '../space/decode.ts';
import type { Cost } from '../space/cost.ts';
import type { Arch, ResolvedSpace } from '../space/types.ts';

export interface CostTable {
  /** Stem, fixed blocks, head, pool and classifier. */
  base: Cost;
  /** layers[l].get(choice): the cost of that choice in layer l. */
  layers: Array<Map<number, Cost>>;
}

/** The cost table of a resolved space (at its own resolution and class count). */
export function costTable(rs: ResolvedSpace): CostTable {
  let macs = 0;
  let params = 0;
  let size = rs.config.resolution;
  for (const b of rs.prefix) {
    const c = blockCost(b, size);
    macs += c.macs;
    params += c.params;
    size = c.outputSize;
  }
  const layers = rs.layers.map((l) => {
    const m = new Map<number, Cost>();
    for (const choice of l.choices) {
      const c = blockCost(candidateBlock(rs, l.layerIdx, choice), l.inputSize);
      m.set(choice, { macs: c.macs, params: c.params });
      size = c.outputSize; // the same for every choice of the layer
    }
    return m;
  });
  for (const b of rs.suffix) {
    const c = blockCost(b, size);
    macs += c.macs;
    params += c.params;
    size = c.outputSize;
  }
  return { base: { macs, params }, layers };
}

/** Cost of `arch` from a table; does not validate (see `checkedCost`). */
export function tableCost(t: CostTable, arch: Arch): Cost {
  let macs = t.base.macs;
  let params = t.base.params;
  for (let l = 0; l < arch.length; l++) {
    const c = t.layers[l].get(arch[l]);
    if (!c) throw new Error(`layer ${l}: choice ${arch[l]} is not offered`);
    macs += c.macs;
    params += c.params;
  }
  return { macs, params };
}

/** Validated cost of `arch` (throws naming the layer). */
export function checkedCost(rs: ResolvedSpace, t: CostTable, arch: Arch): Cost {
  validateArch(rs, arch);
  return tableCost(t, arch);
}
