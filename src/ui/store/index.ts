// The app's one store, composed of slices (each with Values / Actions types and a DEFAULT).

import { create } from 'zustand';
import { createConfigSlice, type ConfigSlice } from './configSlice.ts';
import { createEngineSlice, type EngineSlice } from './engineSlice.ts';
import { createTrainSlice, type TrainSlice } from './trainSlice.ts';

export type Store = EngineSlice & ConfigSlice & TrainSlice;

/** A fresh store (tests make their own; the app uses `useStore`). */
export const createStore = () =>
  create<Store>()((...a) => ({
    ...createEngineSlice(...a),
    ...createConfigSlice(...a),
    ...createTrainSlice(...a),
  }));

export const useStore = createStore();
