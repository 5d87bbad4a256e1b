// The indicator's extremes, for the ranking study of docs/learnability.md: the `top` fittest and
// the `bottom` least fit architectures under an additive fitness (LayerTerms, score.ts), plus
// `random` others drawn uniformly from the rest. Pure; the only randomness is the given Rng.
//
// Top-k of a sum of per-layer terms is exact by a prefix merge: the k best completions of layers
// 0..l are among the k best prefixes of layers 0..l-1 extended by every choice of layer l (a prefix
// outside its own top k is beaten by k prefixes that take the same continuation). Ties break by
// the arch string, so the result is deterministic.
import type { Rng } from '../rng.ts';
import type { Arch } from '../space/types.ts';
import { formatArch } from '../space/decode.ts';
import type { LayerTerms } from './score.ts';

export type ExtremeGroup = 'top' | 'bottom' | 'random';

export interface ExtremePick {
  arch: Arch;
  group: ExtremeGroup;
  fitness: number;
}

export interface ExtremeCounts {
  top: number;
  bottom: number;
  random: number;
}

/** Spaces up to this many architectures are enumerated for the random draw; larger ones are rejection-sampled. */
const ENUMERATE_MAX = 100_000;

interface Partial {
  arch: Arch;
  key: string;
  fitness: number;
}

/** The `k` best (sign +1) or worst (sign -1) architectures, best first (worst first for -1). */
function kBest(terms: LayerTerms, k: number, sign: 1 | -1): Partial[] {
  let beam: Partial[] = [{ arch: [], key: '', fitness: 0 }];
  for (const layer of terms) {
    const next: Partial[] = [];
    for (const p of beam) {
      for (const [choice, t] of layer) {
        const arch = [...p.arch, choice];
        next.push({ arch, key: formatArch(arch), fitness: p.fitness + t });
      }
    }
    next.sort((a, b) => sign * (b.fitness - a.fitness) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    beam = next.slice(0, k);
  }
  return beam;
}

/** Number of architectures the terms describe (product of the layers' choice counts). */
export function countArchs(terms: LayerTerms): number {
  return terms.reduce((n, l) => n * l.size, 1);
}

/**
 * `counts.top` fittest, then `counts.bottom` least fit (never one of the top), then
 * `counts.random` drawn uniformly without replacement from the remaining architectures.
 * Throws when the space has fewer architectures than asked for in all.
 */
export function selectExtremes(terms: LayerTerms, counts: ExtremeCounts, rng: Rng): ExtremePick[] {
  for (const [name, v] of Object.entries(counts)) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`extremes: ${name} must be an integer >= 0, got ${v}`);
  }
  if (terms.length === 0 || terms.some((l) => l.size === 0)) throw new Error('extremes: every layer needs at least one choice');
  const total = countArchs(terms);
  const want = counts.top + counts.bottom + counts.random;
  if (want > total) throw new Error(`extremes: asked for ${want} architectures (top ${counts.top}, bottom ${counts.bottom}, random ${counts.random}); the space has ${total}`);
  const fit = (arch: Arch): number => arch.reduce((s, c, l) => s + (terms[l].get(c) as number), 0);
  const picks: ExtremePick[] = [];
  const taken = new Set<string>();
  for (const p of kBest(terms, counts.top, 1)) {
    picks.push({ arch: p.arch, group: 'top', fitness: p.fitness });
    taken.add(p.key);
  }
  let nBottom = 0;
  for (const p of kBest(terms, counts.bottom + counts.top, -1)) {
    if (nBottom === counts.bottom) break;
    if (taken.has(p.key)) continue;
    picks.push({ arch: p.arch, group: 'bottom', fitness: p.fitness });
    taken.add(p.key);
    nBottom++;
  }
  const choices = terms.map((l) => [...l.keys()]);
  if (total <= ENUMERATE_MAX) {
    const rest: Arch[] = [];
    const walk = (prefix: Arch): void => {
      if (prefix.length === choices.length) {
        if (!taken.has(formatArch(prefix))) rest.push(prefix);
        return;
      }
      for (const c of choices[prefix.length]) walk([...prefix, c]);
    };
    walk([]);
    for (let i = 0; i < counts.random; i++) {
      const j = i + rng.int(rest.length - i); // partial Fisher-Yates
      [rest[i], rest[j]] = [rest[j], rest[i]];
      picks.push({ arch: rest[i], group: 'random', fitness: fit(rest[i]) });
    }
  } else {
    for (let n = 0; n < counts.random; ) {
      const arch = choices.map((c) => c[rng.int(c.length)]);
      const key = formatArch(arch);
      if (taken.has(key)) continue;
      taken.add(key);
      picks.push({ arch, group: 'random', fitness: fit(arch) });
      n++;
    }
  }
  return picks;
}
