// Training: controls (build + start, pause, resume, stop) and the streamed curves, rates and
// indicator table. Async actions end in the engine slice's one error handler.

import type { StateCreator } from 'zustand';
import type { Broadcasts, TrainProgressEvent } from '../../worker/protocol/index.ts';
import { foldEvents, frameBatch } from './frameBatch.ts';
import type { Store } from './index.ts';
import { TRAIN_DEFAULT, withBuilt, withIndicators, withProgress, type TrainValues } from './trainReducers.ts';

export interface TrainActions {
  /** Builds a fresh supernet from the current setup and starts training it. */
  startTrain: () => Promise<void>;
  pauseTrain: () => Promise<void>;
  resumeTrain: () => Promise<void>;
  stopTrain: () => Promise<void>;
  /** Applies one event of the worker's training stream. */
  receiveTrain: (ev: Broadcasts['train']) => void;
}

export type TrainSlice = TrainValues & TrainActions;

export const createTrainSlice: StateCreator<Store, [], [], TrainSlice> = (set, get) => {
  /** Runs `work` with `busy` set; failures go to the one error handler. */
  const guarded = async (work: () => Promise<void>): Promise<void> => {
    set({ trainBusy: true });
    try {
      await work();
      get().clearIn('train');
    } catch (err) {
      get().failIn('train', err);
    } finally {
      set({ trainBusy: false });
    }
  };
  // Step events are applied at most once a frame (frameBatch.ts); any other event flushes them first.
  const progress = frameBatch<TrainProgressEvent>((evs) => set((s) => foldEvents<TrainValues, TrainProgressEvent>(s, evs, withProgress)));
  const control = (type: 'trainPause' | 'trainResume' | 'trainStop') =>
    guarded(async () => {
      const ev = await get().requireClient().call(type, {});
      progress.flush();
      set({ trainState: ev.state, trainStep: ev.step });
    });

  return {
    ...TRAIN_DEFAULT,
    startTrain: () =>
      guarded(async () => {
        const client = get().requireClient();
        const { preset, settings } = get();
        const built = await client.call('build', { preset, settings });
        progress.drop(); // steps of the session just replaced
        set(withBuilt(settings.space, built.choices, built.totalSteps));
        const ev = await client.call('trainStart', {});
        set({ trainState: ev.state });
      }),
    pauseTrain: () => control('trainPause'),
    resumeTrain: () => control('trainResume'),
    stopTrain: () => control('trainStop'),
    receiveTrain: (ev) => {
      switch (ev.type) {
        case 'trainProgress':
          progress.push(ev);
          return;
        case 'trainWarmup':
          progress.flush();
          set({ trainWarmup: { done: ev.done, total: ev.total } });
          return;
        case 'indicators':
          progress.flush();
          set(withIndicators(ev));
          return;
        case 'trainState':
          progress.flush();
          set({ trainState: ev.state, trainStep: ev.step });
          return;
        default: {
          const unreachable: never = ev;
          get().reportError(new Error(`unknown stream event ${JSON.stringify(unreachable)}`));
        }
      }
    },
  };
};
