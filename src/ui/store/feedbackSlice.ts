// Where each error is shown: an action's failure goes to the panel where it was taken (next to
// its control, dismissible, cleared by that panel's next success); the Engine panel keeps only
// engine faults (worker start-up, backend / device lost). Invalid drafts of the number boxes are
// kept here too, so the action that would use them can be disabled with the reason.

import type { StateCreator } from 'zustand';
import { errorMessage } from '../../core/errors.ts';
import type { Store } from './index.ts';

export type PanelName = 'data' | 'supernet' | 'train' | 'isometry' | 'search' | 'retrain' | 'runs';

export interface FeedbackValues {
  /** The last failure of an action taken in each panel (null once dismissed or after a success). */
  panelErrors: Partial<Record<PanelName, string>>;
  /** Message of every number box whose draft is invalid, by the box's id. */
  fieldErrors: Record<string, string>;
}

export interface FeedbackActions {
  failIn: (panel: PanelName, err: unknown) => void;
  clearIn: (panel: PanelName) => void;
  setFieldError: (id: string, message: string | null) => void;
}

export type FeedbackSlice = FeedbackValues & FeedbackActions;

export const FEEDBACK_DEFAULT: FeedbackValues = { panelErrors: {}, fieldErrors: {} };


/** The first invalid box among those whose id starts with one of `prefixes` (the reason an action is off). */
export function blockingField(fieldErrors: Record<string, string>, prefixes: readonly string[]): string | null {
  for (const [id, message] of Object.entries(fieldErrors)) if (prefixes.some((p) => id.startsWith(p))) return message;
  return null;
}

export const createFeedbackSlice: StateCreator<Store, [], [], FeedbackSlice> = (set) => ({
  ...FEEDBACK_DEFAULT,
  failIn: (panel, err) => set((s) => ({ panelErrors: { ...s.panelErrors, [panel]: errorMessage(err) } })),
  clearIn: (panel) =>
    set((s) => {
      if (s.panelErrors[panel] === undefined) return {};
      const { [panel]: _gone, ...rest } = s.panelErrors;
      return { panelErrors: rest };
    }),
  setFieldError: (id, message) =>
    set((s) => {
      if ((s.fieldErrors[id] ?? null) === message) return {};
      const { [id]: _gone, ...rest } = s.fieldErrors;
      return { fieldErrors: message === null ? rest : { ...rest, [id]: message } };
    }),
});
