// MACs and params of the supernet's largest and smallest single path at the configured size and
// at the 224 px / 1000-class reference, from the core's exact cost model (pure TypeScript; cheap
// enough for the main thread). Every candidate of a layer has the same input size and channels,
// so the extreme paths are the per-layer extremes.

import { archCost, blockCost, type Cost } from '../../core/space/cost.ts';
import { candidateBlock, resolveSpace } from '../../core/space/decode.ts';
import { SPACES } from '../../core/space/spaces.ts';
import type { Arch } from '../../core/space/types.ts';
import type { TrainSettings } from '../../worker/protocol/index.ts';

export interface PathCost extends Cost {
  arch: Arch;
  reference: Cost;
}

export interface SupernetCost {
  largest: PathCost;
  smallest: PathCost;
  layers: number;
}

export function supernetCost(s: TrainSettings): SupernetCost {
  const space = SPACES[s.space];
  const config = { resolution: s.resolution, widthMult: s.widthMult, numClasses: s.numClasses, identity: true };
  const rs = resolveSpace(space, config);
  const pick = (better: (a: Cost, b: Cost) => boolean): Arch =>
    rs.layers.map((l) => {
      let best = l.choices[0];
      let bestCost = blockCost(candidateBlock(rs, l.layerIdx, best), l.inputSize);
      for (const c of l.choices.slice(1)) {
        const cost = blockCost(candidateBlock(rs, l.layerIdx, c), l.inputSize);
        if (better(cost, bestCost)) [best, bestCost] = [c, cost];
      }
      return best;
    });
  const costOf = (arch: Arch): PathCost => ({ arch, ...archCost(space, config, arch) });
  return {
    largest: costOf(pick((a, b) => a.macs > b.macs || (a.macs === b.macs && a.params > b.params))),
    smallest: costOf(pick((a, b) => a.macs < b.macs || (a.macs === b.macs && a.params < b.params))),
    layers: rs.layers.length,
  };
}

/** 471822240 -> "471.8 M"; 5228536 -> "5.23 M". */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}
