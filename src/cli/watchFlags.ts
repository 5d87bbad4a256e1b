// The CLI's live-isometry flags (`train --watch ...`) and the JSON lines of watched spectra:
//   --watch LIST       watch list (src/core/isometry/watchList.ts): "default", "3,10,17", "3:0,1,-1;10"
//   --watch-share S    largest share of wall time watching may take, in [0, 1] (default 0.1)
//   --watch-tile T     requested tile side (default 4); --watch-max-dim D: cap on J's side (default 256)
import { DEFAULT_WATCH_SHARE } from '../core/isometry/cadence.ts';
import { parseWatchList, resolveWatchList, type WatchKey, type WatchList } from '../core/isometry/watchList.ts';
import { SpectrumWatcher, WATCH_MAX_DIM, WATCH_TILE } from '../core/isometry/watcher.ts';
import type { WatchFrame } from '../core/isometry/watchSeries.ts';
import type { Trainer } from '../core/train/trainer.ts';
import { optInt, optNumber, UsageError } from './args.ts';

export const WATCH_OPTIONS = {
  watch: { type: 'string' },
  'watch-share': { type: 'string' },
  'watch-tile': { type: 'string' },
  'watch-max-dim': { type: 'string' },
} as const;

export interface WatchArgs {
  list: WatchList;
  share: number;
  tile: number;
  maxDim: number;
}

/** The watch flags, checked before anything is built; null without --watch. Usage errors name the flag. */
export function watchFlags(v: Record<string, unknown>): WatchArgs | null {
  const share = optNumber(v, 'watch-share', (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
  const tile = optInt(v, 'watch-tile', 1);
  const maxDim = optInt(v, 'watch-max-dim', 1);
  if (typeof v.watch !== 'string') {
    const stray = (['watch-share', 'watch-tile', 'watch-max-dim'] as const).filter((k) => v[k] !== undefined);
    if (stray.length > 0) throw new UsageError(`--${stray[0]} needs --watch LIST`);
    return null;
  }
  let list: WatchList;
  try {
    list = parseWatchList(v.watch);
  } catch (e) {
    throw new UsageError(`--watch: ${(e as Error).message}`);
  }
  return { list, share: share ?? DEFAULT_WATCH_SHARE, tile: tile ?? WATCH_TILE, maxDim: maxDim ?? WATCH_MAX_DIM };
}

/** The watcher of the trainer's supernet; a list that does not fit its space is a usage error. */
export function watcherFor(trainer: Trainer, a: WatchArgs): SpectrumWatcher {
  let keys: WatchKey[];
  try {
    keys = resolveWatchList(a.list, trainer.supernet.resolved.layers.map((l) => [...l.choices]));
  } catch (e) {
    throw new UsageError(`--watch: ${(e as Error).message}`);
  }
  return new SpectrumWatcher(trainer.supernet, { keys, share: a.share, tile: a.tile, maxDim: a.maxDim });
}

/** One JSON line per watched module of a frame (beside the progress lines; `type` tells them apart). */
export function spectrumLines(f: WatchFrame): object[] {
  const bins = f.modules.length > 0 ? f.histCounts.length / f.modules.length : 0;
  return f.modules.map((m, k) => ({
    type: 'spectrum',
    step: f.step,
    layer: m.layer,
    choice: m.choice,
    meanSq: m.meanSq,
    varSq: m.varSq,
    min: m.min,
    max: m.max,
    count: m.count,
    tile: m.tile,
    rows: m.rows,
    cols: m.cols,
    under: m.under,
    over: m.over,
    hist: Array.from(f.histCounts.subarray(k * bins, (k + 1) * bins)),
    ms: Math.round(f.ms),
    share: f.share,
  }));
}
