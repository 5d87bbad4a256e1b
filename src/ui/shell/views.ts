// The workbench's stages, in working order, and the `view=` URL parameter that keeps which one is
// shown (so a link reproduces it). Pure: no DOM, no store.

export const VIEWS = ['data', 'supernet', 'isometry', 'train', 'search', 'retrain', 'runs', 'engine'] as const;
export type ViewName = (typeof VIEWS)[number];

/** The stages of the rail (the Engine view is reached from the top bar's backend badge). */
export const STAGES: readonly ViewName[] = ['data', 'supernet', 'isometry', 'train', 'search', 'retrain', 'runs'];

export const VIEW_TITLE: Record<ViewName, string> = {
  data: 'Data',
  supernet: 'Supernet',
  isometry: 'Isometry',
  train: 'Train',
  search: 'Search',
  retrain: 'Retrain',
  runs: 'Runs',
  engine: 'Engine',
};

/** What each view is for, one line (rail tooltips, docs/app.md). */
export const VIEW_PURPOSE: Record<ViewName, string> = {
  data: 'Load your images (WebDataset shards, ImageFolder, parquet) or keep the built-in synthetic data.',
  supernet: 'Choose the search space, size, initialisation, sampler and schedule; see the cost of its extreme paths.',
  isometry: 'Check dynamical isometry: singular-value spectra and moments of each candidate, and the depth profile.',
  train: 'Train the weight-sharing supernet fairly; watch loss, top-1 and the indicator table.',
  search: 'Rank subnets by the indicator table within MAC / parameter limits; pick one and export it.',
  retrain: 'Train the picked subnet from scratch as a standalone network.',
  runs: 'Stored runs in this browser: resume, export, import, delete.',
  engine: 'The TensorFlow.js backend, its smoke test and engine faults.',
};

export const DEFAULT_VIEW: ViewName = 'data';

export function isViewName(s: string): s is ViewName {
  return (VIEWS as readonly string[]).includes(s);
}

/** The view named by `?view=` (the default when absent or unknown). */
export function viewFromSearch(search: string): ViewName {
  const v = new URLSearchParams(search).get('view');
  return v !== null && isViewName(v) ? v : DEFAULT_VIEW;
}

/** `search` with `view=` set to `view`, every other parameter kept in order. */
export function searchWithView(search: string, view: ViewName): string {
  const q = new URLSearchParams(search);
  q.set('view', view);
  return `?${q.toString()}`;
}
