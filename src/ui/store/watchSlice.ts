// Live isometry (docs/isometry.md, "Live watching"): the watch settings sent to the worker (the
// list also in the URL as `watch=`), the modules the session watches, the watched spectra streamed
// while training (applied at most once a frame, src/ui/store/watchStream.ts), restored on resume,
// and the module the charts show. Async actions end in the engine slice's one error handler.
import type { StateCreator } from 'zustand';
import { watchListProblem } from '../../core/isometry/watchList.ts';
import type { WatchSeries } from '../../core/isometry/watchSeries.ts';
import { DEFAULT_WATCH_SETTINGS, type Broadcasts, type WatchKey, type WatchSettings, type WatchSpectraEvent } from '../../worker/protocol/index.ts';
import { frameBatch } from './frameBatch.ts';
import type { Store } from './index.ts';
import { replaceQuery, withParam } from './urlParams.ts';
import { WatchStream } from './watchStream.ts';

export interface WatchValues {
  /** The settings in force in the worker (the page's until the worker answers). */
  watchSettings: WatchSettings;
  /** The list as typed in an editor, and what is wrong with it (null: fine). */
  watchText: string;
  watchTextProblem: string | null;
  /** The modules the current session watches (layer, then candidate order). */
  watchModules: WatchKey[];
  /** Why the worker could not use the list for this session (it watches the default list then). */
  watchProblem: string | null;
  /** The live run's watched spectra so far (null before the first frame). */
  watchSeries: WatchSeries | null;
  /** Watching's measured share of wall time (from the last frame). */
  watchShare: number | null;
  /** The module the charts show (null: the first watched). */
  watchLayer: number | null;
  watchChoice: number | null;
  watchConnected: boolean;
}

export interface WatchActions {
  /** Hooks the watch stream to the ready client and sends the page's list (`?watch=`). */
  connectWatch: (search: string) => Promise<void>;
  /** Edits the list text; a valid text is sent to the worker and written to the URL. */
  setWatchText: (text: string) => Promise<void>;
  /** The largest share of wall time watching may take, in [0, 1]. */
  setWatchShare: (share: number) => Promise<void>;
  selectWatch: (layer: number, choice: number) => void;
  receiveWatch: (ev: Broadcasts['watch']) => void;
}

export type WatchSlice = WatchValues & WatchActions;

export const WATCH_DEFAULT: WatchValues = {
  watchSettings: { ...DEFAULT_WATCH_SETTINGS },
  watchText: DEFAULT_WATCH_SETTINGS.list,
  watchTextProblem: null,
  watchModules: [],
  watchProblem: null,
  watchSeries: null,
  watchShare: null,
  watchLayer: null,
  watchChoice: null,
  watchConnected: false,
};

export const createWatchSlice: StateCreator<Store, [], [], WatchSlice> = (set, get) => {
  const stream = new WatchStream();
  const frames = frameBatch<WatchSpectraEvent>((evs) => {
    for (const ev of evs) stream.frame(ev);
    set({ watchSeries: stream.snapshot(), watchShare: evs[evs.length - 1].share });
  });
  const send = async (settings: Partial<WatchSettings>) => {
    const client = get().client;
    if (client === null || get().status !== 'done') return; // sent on connect
    try {
      const ev = await client.call('watchSet', { settings });
      set({ watchSettings: ev.settings, watchModules: ev.modules });
    } catch (err) {
      get().reportError(err);
    }
  };
  return {
    ...WATCH_DEFAULT,
    connectWatch: async (search) => {
      if (get().watchConnected) return;
      const client = get().requireClient();
      client.listen('watch', (ev) => get().receiveWatch(ev));
      set({ watchConnected: true });
      const q = new URLSearchParams(search);
      const text = q.get('watch');
      const shareText = q.get('watchShare');
      const settings: Partial<WatchSettings> = {};
      if (text !== null) {
        const problem = watchListProblem(text);
        if (problem === null) settings.list = text;
        else get().reportError(new Error(`watch=${text}: ${problem}; watching the default list`));
        set({ watchText: text, watchTextProblem: problem });
      }
      if (shareText !== null) {
        const v = Number(shareText);
        if (shareText.trim() !== '' && v >= 0 && v <= 1) settings.share = v;
        else get().reportError(new Error(`watchShare=${shareText}: must be a number in [0, 1]; using ${DEFAULT_WATCH_SETTINGS.share}`));
      }
      await send(settings);
    },
    setWatchText: async (text) => {
      const problem = watchListProblem(text, get().trainChoices ?? undefined);
      set({ watchText: text, watchTextProblem: problem });
      if (problem !== null) return;
      replaceQuery((s) => withParam(s, 'watch', text.trim() === '' || text.trim() === 'default' ? null : text.replace(/\s+/g, '')));
      await send({ list: text });
    },
    setWatchShare: (share) => send({ share }),
    selectWatch: (layer, choice) => set({ watchLayer: layer, watchChoice: choice }),
    receiveWatch: (ev) => {
      switch (ev.type) {
        case 'watchConfig':
          if (ev.id === null) {
            // a new session (built or resumed): its frames start afresh
            frames.drop();
            stream.reset();
            set({ watchSeries: null, watchShare: null });
          }
          set({ watchSettings: ev.settings, watchModules: ev.modules, watchProblem: ev.problem ?? null });
          return;
        case 'watchSpectra':
          frames.push(ev);
          return;
        case 'watchHistory':
          frames.flush();
          stream.history(ev.series);
          set({ watchSeries: stream.snapshot() });
          return;
        default: {
          const unreachable: never = ev;
          get().reportError(new Error(`unknown watch event ${JSON.stringify(unreachable)}`));
        }
      }
    },
  };
};
