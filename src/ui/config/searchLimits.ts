// Ranges and defaults of the Search panel's limit sliders. The limits apply to the reference cost
// (224 px, 1000 classes, the setup's width; docs/search.md), so the ranges are the smallest and the
// largest single path of the setup's space at the reference (cost is additive over layers, so
// those are the per-layer extremes, src/ui/config/cost.ts).
//
// Defaults: the MAC limit is the space's published limit (BN-NAS 475M, FairNAS 400M, SPOS 330M)
// when it lies inside the range; at a narrower width every path is under it, and a limit that
// binds nothing hides what the limit does, so the default is then the middle of the range. The
// parameter limit is off by default (no published one).
import { SPACES } from '../../core/space/spaces.ts';
import type { TrainSettings } from '../../worker/protocol/index.ts';
import { supernetCost } from './cost.ts';

export interface LimitRange {
  /** Smallest and largest path at the reference. */
  min: number;
  max: number;
  /** Slider step: about 1/200 of the range, at least 1. */
  step: number;
  /** Value used until the user moves the slider. */
  initial: number;
}

export interface SearchLimitRanges {
  macs: LimitRange;
  params: LimitRange;
}

function range(min: number, max: number, initial: number): LimitRange {
  return { min, max, step: Math.max(1, Math.round((max - min) / 200)), initial: Math.min(max, Math.max(min, initial)) };
}

export function searchLimitRanges(s: TrainSettings): SearchLimitRanges {
  const c = supernetCost(s);
  const lo = c.smallest.reference;
  const hi = c.largest.reference;
  const published = SPACES[s.space].defaultMaxMacs;
  const macsInitial = published > lo.macs && published < hi.macs ? published : Math.round((lo.macs + hi.macs) / 2);
  return {
    macs: range(lo.macs, hi.macs, macsInitial),
    params: range(Math.min(lo.params, hi.params), Math.max(lo.params, hi.params), Math.max(lo.params, hi.params)),
  };
}

/** The value a limit slider shows and sends: the user's value (or the initial one) kept in range. */
export function limitValue(r: LimitRange, chosen: number | null): number {
  return Math.min(r.max, Math.max(r.min, chosen ?? r.initial));
}
