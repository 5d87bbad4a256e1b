// Path samplers. `fair` is FairNAS's strict fairness: one step draws m = max candidates-per-layer
// paths, and every layer contributes a random permutation of its candidates, so each candidate
// of a layer with m candidates is used exactly once per step (layers with fewer candidates refill
// from a fresh permutation). `uniform` is SPOS: one uniformly random path per step.
import type { Rng } from '../rng.ts';
import type { Arch, ResolvedLayer } from '../space/types.ts';

export type SamplerKind = 'fair' | 'uniform';
export const SAMPLER_KINDS: SamplerKind[] = ['fair', 'uniform'];

/** Number of paths one step of the sampler runs. */
export function pathsPerStep(layers: ResolvedLayer[], kind: SamplerKind): number {
  return kind === 'uniform' ? 1 : Math.max(...layers.map((l) => l.choices.length));
}

export function samplePaths(layers: ResolvedLayer[], kind: SamplerKind, rng: Rng): Arch[] {
  if (kind === 'uniform') return [layers.map((l) => l.choices[rng.int(l.choices.length)])];
  const m = pathsPerStep(layers, kind);
  const columns = layers.map((l) => {
    const seq: number[] = [];
    while (seq.length < m) seq.push(...rng.shuffle([...l.choices]));
    return seq.slice(0, m);
  });
  return Array.from({ length: m }, (_, i) => columns.map((col) => col[i]));
}
