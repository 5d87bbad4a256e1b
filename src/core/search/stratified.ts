// K architectures spread over the MAC range, for the ranking-correlation experiment: draw a pool
// of distinct uniformly random architectures (each layer's choice uniform, within the optional
// limits), sort it by reference MACs (224 px / 1000 classes at the configured width; ties by the
// arch string), cut it into K contiguous strata of equal count (quantile strata: uniform random
// architectures cluster around the mean cost, so equal-width MAC bins would leave the ends
// empty) and draw one architecture uniformly from each stratum. Seeded: deriveRng(seed,
// 'rankcorr', 'sample') is the only randomness.
import { deriveRng } from '../rng.ts';
import { referenceConfig } from '../space/cost.ts';
import { formatArch, resolveSpace } from '../space/decode.ts';
import type { Arch, SpaceConfig, SpaceDef } from '../space/types.ts';
import { costTable, tableCost } from './costTable.ts';
import type { SearchLimits } from './evolution.ts';

export interface StratifiedPick {
  arch: Arch;
  /** Reference cost (224 px, 1000 classes, configured width). */
  macs: number;
  params: number;
  /** 0-based stratum, cheapest first. */
  stratum: number;
}

export interface StratifiedOptions {
  /** Distinct architectures in the pool (default 50 * k). */
  poolSize?: number;
  limits?: SearchLimits;
}

export function sampleStratifiedByMacs(space: SpaceDef, config: SpaceConfig, k: number, seed: number, o: StratifiedOptions = {}): StratifiedPick[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`stratified sample: k must be an integer >= 2, got ${k}`);
  const poolSize = o.poolSize ?? 50 * k;
  if (!Number.isInteger(poolSize) || poolSize < k) throw new Error(`stratified sample: poolSize must be an integer >= k (${k}), got ${poolSize}`);
  const rs = resolveSpace(space, config);
  const costs = costTable(resolveSpace(space, referenceConfig(config)));
  const rng = deriveRng(seed, 'rankcorr', 'sample');
  const seen = new Set<string>();
  const pool: Array<{ arch: Arch; key: string; macs: number; params: number }> = [];
  for (let tries = 0; pool.length < poolSize && tries < poolSize * 1000; tries++) {
    const arch = rs.layers.map((l) => l.choices[rng.int(l.choices.length)]);
    const key = formatArch(arch);
    if (seen.has(key)) continue;
    seen.add(key);
    const c = tableCost(costs, arch);
    if ((o.limits?.maxMacs !== undefined && c.macs > o.limits.maxMacs) || (o.limits?.maxParams !== undefined && c.params > o.limits.maxParams)) continue;
    pool.push({ arch, key, macs: c.macs, params: c.params });
  }
  if (pool.length < k) throw new Error(`stratified sample: only ${pool.length} distinct architectures within the limits; need ${k}`);
  pool.sort((a, b) => a.macs - b.macs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return Array.from({ length: k }, (_, s) => {
    const lo = Math.floor((s * pool.length) / k);
    const hi = Math.floor(((s + 1) * pool.length) / k);
    const p = pool[lo + rng.int(hi - lo)];
    return { arch: p.arch, macs: p.macs, params: p.params, stratum: s };
  });
}
