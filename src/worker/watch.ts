// Live isometry in the worker: the watch settings (protocol/watch.ts), kept across builds and
// resumes, turned into each session's SpectrumWatcher (src/core/isometry/watcher.ts); `watchSet`
// changes them. The frames themselves flow through the session sink (session.ts `watch`).
import { parseWatchList, resolveWatchList, type WatchKey } from '../core/isometry/watchList.ts';
import { SpectrumWatcher } from '../core/isometry/watcher.ts';
import type { TrainSession } from './session.ts';
import { DEFAULT_WATCH_SETTINGS, type EngineEvent, type WatchSetCommand, type WatchSettings } from './protocol/index.ts';

/** Checks settings from the page; throws an Error naming the bad field. */
export function checkWatchSettings(s: WatchSettings): WatchSettings {
  if (typeof s.list !== 'string') throw new Error(`watch: list must be text, got ${JSON.stringify(s.list)}`);
  parseWatchList(s.list);
  if (!(typeof s.share === 'number' && s.share >= 0 && s.share <= 1)) throw new Error(`watch: share must be a number in [0, 1], got ${JSON.stringify(s.share)}`);
  if (!Number.isInteger(s.tile) || s.tile < 1) throw new Error(`watch: tile must be an integer >= 1, got ${JSON.stringify(s.tile)}`);
  if (!Number.isInteger(s.maxDim) || s.maxDim < 1) throw new Error(`watch: maxDim must be an integer >= 1, got ${JSON.stringify(s.maxDim)}`);
  return { list: s.list, share: s.share, tile: s.tile, maxDim: s.maxDim };
}

export class WatchService {
  private settings: WatchSettings = { ...DEFAULT_WATCH_SETTINGS };

  constructor(private readonly post: (event: EngineEvent) => void) {}

  get current(): WatchSettings {
    return { ...this.settings };
  }

  /**
   * Gives a new session its watcher and reports it (`watchConfig`, id null). A list that does not
   * fit the session's space is reported as the event's `problem`; the session then watches the default list.
   */
  attach(session: TrainSession): void {
    let keys: WatchKey[];
    let problem: string | undefined;
    try {
      keys = resolveWatchList(parseWatchList(this.settings.list), session.choices);
    } catch (e) {
      problem = `${(e as Error).message}; watching the default list`;
      keys = resolveWatchList('default', session.choices);
    }
    this.apply(session, keys);
    this.post({ type: 'watchConfig', id: null, settings: this.current, modules: keys, ...(problem === undefined ? {} : { problem }) });
  }

  /** `watchSet`: checked in full (against the session when there is one) before anything changes. */
  set(cmd: WatchSetCommand, session: TrainSession | null): void {
    const next = checkWatchSettings({ ...this.settings, ...cmd.settings });
    const keys = session === null ? [] : resolveWatchList(parseWatchList(next.list), session.choices);
    this.settings = next;
    if (session !== null) this.apply(session, keys);
    this.post({ type: 'watchConfig', id: cmd.id, settings: this.current, modules: keys });
  }

  private apply(session: TrainSession, keys: WatchKey[]): void {
    const s = this.settings;
    session.setWatcher(keys.length === 0 || s.share === 0 ? null : new SpectrumWatcher(session.trainer.supernet, { keys, share: s.share, tile: s.tile, maxDim: s.maxDim }));
  }
}
