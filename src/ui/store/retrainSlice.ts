// Retrain: options (steps, learning rate, evaluation budget), the running retrain's curves and
// held-out evaluations, and its result (top-1 / top-5, checkpoint). The subnet is the one picked
// in the Search panel. Async actions end in the engine slice's one error handler.
import type { StateCreator } from 'zustand';
import type { RetrainEvalEvent, RetrainProgressEvent, RetrainResultEvent } from '../../worker/protocol/index.ts';
import { foldEvents, frameBatch } from './frameBatch.ts';
import type { Store } from './index.ts';
import { appendPoint, type CurvePoint } from './trainReducers.ts';

export type RetrainStatus = 'idle' | 'running' | 'done' | 'stopped' | 'failed';

export interface RetrainEvalPoint {
  /** Steps taken when evaluated. */
  step: number;
  top1: number;
  top5: number;
  loss: number;
}

export interface RetrainValues {
  retrainSteps: number;
  /** Peak learning rate; null = the core's default (DEFAULT_RETRAIN.lr). */
  retrainLr: number | null;
  /** Held-out batches per evaluation (small: every evaluation costs forward passes). */
  retrainEvalBatches: number;
  /** Evaluate every this many steps too (0 = only at the end). */
  retrainEvalEvery: number;
  retrainStatus: RetrainStatus;
  retrainArch: number[] | null;
  /** Steps taken, of retrainTotal. */
  retrainStep: number;
  retrainTotal: number;
  retrainPoints: CurvePoint[];
  retrainEvals: RetrainEvalPoint[];
  retrainResult: RetrainResultEvent | null;
}

export const RETRAIN_DEFAULT: RetrainValues = {
  retrainSteps: 100,
  retrainLr: null,
  retrainEvalBatches: 8,
  retrainEvalEvery: 25,
  retrainStatus: 'idle',
  retrainArch: null,
  retrainStep: 0,
  retrainTotal: 0,
  retrainPoints: [],
  retrainEvals: [],
  retrainResult: null,
};

export type RetrainOptionKey = 'retrainSteps' | 'retrainLr' | 'retrainEvalBatches' | 'retrainEvalEvery';

export interface RetrainActions {
  setRetrainOption: <K extends RetrainOptionKey>(key: K, value: RetrainValues[K]) => void;
  /** Retrains the subnet picked in the Search panel; resolves when it ends. */
  startRetrain: () => Promise<void>;
  stopRetrain: () => Promise<void>;
}

export type RetrainSlice = RetrainValues & RetrainActions;

/** Pure: one streamed step or evaluation applied. */
export function withRetrainEvent(v: Pick<RetrainValues, 'retrainPoints' | 'retrainEvals'>, ev: RetrainProgressEvent | RetrainEvalEvent): Partial<RetrainValues> {
  if (ev.type === 'retrainProgress') {
    return { retrainStep: ev.step + 1, retrainTotal: ev.totalSteps, retrainPoints: appendPoint(v.retrainPoints, { step: ev.step + 1, loss: ev.loss, acc: ev.acc }) };
  }
  return { retrainEvals: [...v.retrainEvals, { step: ev.step, top1: ev.top1, top5: ev.top5, loss: ev.loss }] };
}

/** The picked subnet of the current supernet, or why there is none. */
export function pickedArch(s: Pick<Store, 'searchResult' | 'searchPicked' | 'searchOf' | 'trainChoices'>): { arch: number[] } | { reason: string } {
  const r = s.searchResult;
  if (r === null || s.searchPicked === null) return { reason: 'pick a subnet in the Search panel first' };
  if (s.searchOf !== s.trainChoices) return { reason: 'the picked subnet belongs to an earlier supernet: search again' };
  return { arch: r.top[s.searchPicked].arch };
}

export const createRetrainSlice: StateCreator<Store, [], [], RetrainSlice> = (set, get) => {
  // Streamed steps and evaluations are applied at most once a frame, in order (frameBatch.ts).
  const stream = frameBatch<RetrainProgressEvent | RetrainEvalEvent>((evs) => set((v) => foldEvents<RetrainValues, RetrainProgressEvent | RetrainEvalEvent>(v, evs, withRetrainEvent)));
  return {
    ...RETRAIN_DEFAULT,
    setRetrainOption: (key, value) => set({ [key]: value } as Partial<RetrainValues>),
    startRetrain: async () => {
      try {
        const client = get().requireClient();
        const picked = pickedArch(get());
        if ('reason' in picked) throw new Error(`retrain: ${picked.reason}`);
        const s = get();
        set({ retrainStatus: 'running', retrainArch: picked.arch, retrainStep: 0, retrainTotal: s.retrainSteps, retrainPoints: [], retrainEvals: [], retrainResult: null });
        const result = await client.call(
          'retrainStart',
          {
            arch: picked.arch,
            steps: s.retrainSteps,
            ...(s.retrainLr === null ? {} : { lr: s.retrainLr }),
            evalBatches: s.retrainEvalBatches,
            evalEvery: s.retrainEvalEvery,
          },
          stream.push,
        );
        stream.flush();
        set({ retrainStatus: result.stopped ? 'stopped' : 'done', retrainResult: result, retrainStep: result.steps });
        get().clearIn('retrain');
      } catch (err) {
        stream.flush();
        set({ retrainStatus: 'failed' });
        get().failIn('retrain', err);
      }
    },
    stopRetrain: async () => {
      try {
        await get().requireClient().call('retrainStop', {});
      } catch (err) {
        get().failIn('retrain', err);
      }
    },
  };
};
