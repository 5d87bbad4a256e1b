// The app's one store, composed of slices (each with Values / Actions types and a DEFAULT).

import { create } from 'zustand';
import { createConfigSlice, type ConfigSlice } from './configSlice.ts';
import { createEngineSlice, type EngineSlice } from './engineSlice.ts';
import { createTrainSlice, type TrainSlice } from './trainSlice.ts';
import { createIsometrySlice, type IsometrySlice } from './isometrySlice.ts';
import { createSearchSlice, type SearchSlice } from './searchSlice.ts';
import { createRetrainSlice, type RetrainSlice } from './retrainSlice.ts';
import { createDataSlice, type DataSlice } from './dataSlice.ts';
import { createRunsSlice, type RunsSlice } from './runsSlice.ts';
import { createWatchSlice, type WatchSlice } from './watchSlice.ts';
import { createCompareSlice, type CompareSlice } from './compareSlice.ts';
import { createFeedbackSlice, type FeedbackSlice } from './feedbackSlice.ts';

export type Store = EngineSlice & ConfigSlice & TrainSlice & IsometrySlice & SearchSlice & RetrainSlice & DataSlice & RunsSlice & WatchSlice & CompareSlice & FeedbackSlice;

/** A fresh store (tests make their own; the app uses `useStore`). */
export const createStore = () =>
  create<Store>()((...a) => ({
    ...createEngineSlice(...a),
    ...createConfigSlice(...a),
    ...createTrainSlice(...a),
    ...createIsometrySlice(...a),
    ...createSearchSlice(...a),
    ...createRetrainSlice(...a),
    ...createDataSlice(...a),
    ...createRunsSlice(...a),
    ...createWatchSlice(...a),
    ...createCompareSlice(...a),
    ...createFeedbackSlice(...a),
  }));

export const useStore = createStore();
